using System.Net;
using MonitorService.Checks.Dns;

namespace MonitorService.Testing.Dane;

/// <summary>
/// TEST ONLY: a stand-in for DNSSEC validation over the real resolver. It asks the loopback DNS server as usual and
/// then stamps the answers for chosen names with a chosen <see cref="DnssecStatus"/> (names not listed keep what the
/// inner resolver said). It proves nothing about signatures: it lets DANE be tested against real DNS answers, real
/// STARTTLS servers and real certificates before the engine's validator exists; end-to-end tests with the validator
/// and a signed test zone replace it where they can.
/// </summary>
public sealed class DnssecMarkingResolver(IDnsResolver inner, IReadOnlyDictionary<string, DnssecStatus> marks) : IDnsResolver
{
    public Task<DnsAnswer<string>> GetTxtAsync(string name, CancellationToken cancellationToken) => MarkAsync(name, inner.GetTxtAsync(name, cancellationToken));

    public Task<DnsAnswer<MxRecordData>> GetMxAsync(string name, CancellationToken cancellationToken) => MarkAsync(name, inner.GetMxAsync(name, cancellationToken));

    public Task<DnsAnswer<IPAddress>> GetAddressesAsync(string name, CancellationToken cancellationToken) => MarkAsync(name, inner.GetAddressesAsync(name, cancellationToken));

    public Task<DnsAnswer<TlsaRecordData>> GetTlsaAsync(string name, CancellationToken cancellationToken) => MarkAsync(name, inner.GetTlsaAsync(name, cancellationToken));

    private async Task<DnsAnswer<T>> MarkAsync<T>(string name, Task<DnsAnswer<T>> lookup)
    {
        var answer = await lookup.ConfigureAwait(false);
        return marks.TryGetValue(name.TrimEnd('.').ToLowerInvariant(), out var status) ? answer with { Security = status } : answer;
    }
}
