using System.Net;
using MonitorService.Checks.Dns;

namespace MonitorService.Testing.Dane;

/// <summary>
/// TEST ONLY: a stand-in for DNSSEC validation over the real resolver. It asks the loopback DNS server as usual and
/// then stamps the answers for chosen names with a chosen <see cref="DnssecStatus"/> (names not listed keep what the
/// inner resolver said). It proves nothing about signatures. The engine's DANE tests
/// (MonitorService.Checks.Tests, Integration/DaneCheckTests) run on the real validator over the signed test hierarchy
/// (<see cref="CheckEnvironment.SignZones"/>); this decorator is kept only for the DANE drift tests of the monitoring
/// pipeline (MonitorService.Tests, Monitoring/DaneDriftDetectionTests), which move a manual clock by hours between
/// checks: on the real validator their signer's clock (<c>TestDnssecHierarchy.Now</c>) would have to follow that
/// clock too. Moving them is possible (and then this file and <see cref="DaneChecks"/> go); it was left for a change
/// that builds and runs that project.
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
