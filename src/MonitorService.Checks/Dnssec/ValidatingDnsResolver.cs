using System.Net;
using MonitorService.Checks.Dns;

namespace MonitorService.Checks.Dnssec;

/// <summary>
/// The engine's resolver with DNSSEC: every question (TXT, MX, A/AAAA, TLSA) is asked once, by the validator's client
/// with the DO bit, and that one message becomes both the answer the engine uses (read as the plain resolver reads it,
/// <see cref="WireAnswers"/>) and the <see cref="DnsAnswer{T}.Security"/> our validator concludes from it. One resolver
/// abstraction: the engine and its rules see only <see cref="IDnsResolver"/>. <paramref name="inner"/> (the plain
/// resolver, on the same servers) answers only names the validator cannot put on the wire, as it did before.
/// </summary>
public sealed class ValidatingDnsResolver(IDnsResolver inner, DnssecValidator validator, TimeSpan validationLimit) : IDnsResolver
{
    public async Task<DnsAnswer<string>> GetTxtAsync(string name, CancellationToken cancellationToken)
    {
        if (!TryParse(name, out var qname))
            return await WithVerdictAsync(inner.GetTxtAsync(name, cancellationToken), name, [RrType.Txt], cancellationToken).ConfigureAwait(false);
        var question = Ask(name, qname, [RrType.Txt], cancellationToken);
        return await AnswerAsync(question, m => WireAnswers.Txt(name, m[0])).ConfigureAwait(false);
    }

    public async Task<DnsAnswer<MxRecordData>> GetMxAsync(string name, CancellationToken cancellationToken)
    {
        if (!TryParse(name, out var qname))
            return await WithVerdictAsync(inner.GetMxAsync(name, cancellationToken), name, [RrType.Mx], cancellationToken).ConfigureAwait(false);
        var question = Ask(name, qname, [RrType.Mx], cancellationToken);
        return await AnswerAsync(question, m => WireAnswers.Mx(name, m[0])).ConfigureAwait(false);
    }

    /// <summary>A and AAAA are validated separately; the worse verdict is the answer's.</summary>
    public async Task<DnsAnswer<IPAddress>> GetAddressesAsync(string name, CancellationToken cancellationToken)
    {
        if (!TryParse(name, out var qname))
            return await WithVerdictAsync(inner.GetAddressesAsync(name, cancellationToken), name, [RrType.A, RrType.Aaaa], cancellationToken).ConfigureAwait(false);
        var question = Ask(name, qname, [RrType.A, RrType.Aaaa], cancellationToken);
        return await AnswerAsync(question, m => WireAnswers.Addresses(name, m[0], m[1])).ConfigureAwait(false);
    }

    public async Task<DnsAnswer<TlsaRecordData>> GetTlsaAsync(string name, CancellationToken cancellationToken)
    {
        if (!TryParse(name, out var qname))
            return await WithVerdictAsync(inner.GetTlsaAsync(name, cancellationToken), name, [RrType.Tlsa], cancellationToken).ConfigureAwait(false);
        var question = Ask(name, qname, [RrType.Tlsa], cancellationToken);
        return await AnswerAsync(question, m => WireAnswers.Tlsa(name, m[0])).ConfigureAwait(false);
    }

    /// <summary>The fetches of one question (one per type) and the verdict that validates what they bring.</summary>
    private sealed record Question(Task<WireMessage>[] Fetches, Task<DnssecVerdict> Verdict);

    private Question Ask(string name, DomainLabels qname, ushort[] types, CancellationToken ct)
    {
        // Each fetch has the client's own per-try limits, like the plain resolver's lookups; only the verdict is
        // bounded by the validation limit, so a slow chain costs the verdict, never the answer.
        var fetches = types.Select(t => validator.FetchAnswerAsync(qname, t, ct)).ToArray();
        var verdict = ValidateAsync(name, (limit, i) => validator.ValidateAsync(name, qname, types[i], fetches[i], limit), types.Length, ct);
        return new Question(fetches, verdict);
    }

    private static async Task<DnsAnswer<T>> AnswerAsync<T>(Question question, Func<FetchedAnswer[], DnsAnswer<T>> read)
    {
        var fetched = new FetchedAnswer[question.Fetches.Length];
        for (var i = 0; i < fetched.Length; i++)
            fetched[i] = await FetchedAnswer.OfAsync(question.Fetches[i]).ConfigureAwait(false);
        var answer = read(fetched);
        var verdict = await question.Verdict.ConfigureAwait(false);
        return answer with { Security = verdict.Status, SecurityReason = verdict.Reason };
    }

    /// <summary>A name our wire client cannot ask (an empty or over-long label): the plain resolver's answer, and the validator's verdict on it as before.</summary>
    private async Task<DnsAnswer<T>> WithVerdictAsync<T>(Task<DnsAnswer<T>> answerTask, string name, ushort[] types, CancellationToken ct)
    {
        var verdictTask = ValidateAsync(name, (limit, i) => validator.ValidateAsync(name, types[i], limit), types.Length, ct);
        var answer = await answerTask.ConfigureAwait(false);
        var verdict = await verdictTask.ConfigureAwait(false);
        return answer with { Security = verdict.Status, SecurityReason = verdict.Reason };
    }

    private async Task<DnssecVerdict> ValidateAsync(string name, Func<CancellationToken, int, Task<DnssecVerdict>> validate, int count, CancellationToken ct)
    {
        // Its own limit, so a slow chain costs the verdict (Indeterminate), not the check's deadline.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(validationLimit);
        try
        {
            var verdicts = await Task.WhenAll(Enumerable.Range(0, count).Select(i => validate(limit.Token, i))).ConfigureAwait(false);
            return DnssecVerdict.Worst(verdicts);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return DnssecVerdict.Indeterminate($"validation of {name} did not finish within {validationLimit.TotalSeconds:0.#} s");
        }
    }

    private static bool TryParse(string name, out DomainLabels qname)
    {
        try
        {
            qname = DomainLabels.Parse(name);
            return true;
        }
        catch (FormatException)
        {
            qname = DomainLabels.Root;
            return false;
        }
    }
}
