using System.Net;
using MonitorService.Checks.Dns;

namespace MonitorService.Checks.Dnssec;

/// <summary>
/// The engine's resolver with DNSSEC: every answer of the inner resolver (TXT, MX, A/AAAA, TLSA) comes back with the
/// <see cref="DnsAnswer{T}.Security"/> our own validator concluded for the same question, asked side by side. One
/// resolver abstraction: the engine and its rules see only <see cref="IDnsResolver"/>.
/// </summary>
public sealed class ValidatingDnsResolver(IDnsResolver inner, DnssecValidator validator, TimeSpan validationLimit) : IDnsResolver
{
    public Task<DnsAnswer<string>> GetTxtAsync(string name, CancellationToken cancellationToken) =>
        WithVerdictAsync(inner.GetTxtAsync(name, cancellationToken), name, [RrType.Txt], cancellationToken);

    public Task<DnsAnswer<MxRecordData>> GetMxAsync(string name, CancellationToken cancellationToken) =>
        WithVerdictAsync(inner.GetMxAsync(name, cancellationToken), name, [RrType.Mx], cancellationToken);

    /// <summary>A and AAAA are validated separately; the worse verdict is the answer's.</summary>
    public Task<DnsAnswer<IPAddress>> GetAddressesAsync(string name, CancellationToken cancellationToken) =>
        WithVerdictAsync(inner.GetAddressesAsync(name, cancellationToken), name, [RrType.A, RrType.Aaaa], cancellationToken);

    public Task<DnsAnswer<TlsaRecordData>> GetTlsaAsync(string name, CancellationToken cancellationToken) =>
        WithVerdictAsync(inner.GetTlsaAsync(name, cancellationToken), name, [RrType.Tlsa], cancellationToken);

    private async Task<DnsAnswer<T>> WithVerdictAsync<T>(Task<DnsAnswer<T>> answerTask, string name, ushort[] types, CancellationToken ct)
    {
        var verdictTask = ValidateAsync(name, types, ct);
        var answer = await answerTask.ConfigureAwait(false);
        var verdict = await verdictTask.ConfigureAwait(false);
        return answer with { Security = verdict.Status, SecurityReason = verdict.Reason };
    }

    private async Task<DnssecVerdict> ValidateAsync(string name, ushort[] types, CancellationToken ct)
    {
        // Its own limit, so a slow chain costs the verdict (Indeterminate), not the check's deadline.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(validationLimit);
        try
        {
            var verdicts = await Task.WhenAll(types.Select(t => validator.ValidateAsync(name, t, limit.Token))).ConfigureAwait(false);
            return DnssecVerdict.Worst(verdicts);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return DnssecVerdict.Indeterminate($"validation of {name} did not finish within {validationLimit.TotalSeconds:0.#} s");
        }
    }
}
