using System.Net;
using MonitorService.Checks.Analysis;
using MonitorService.Checks.Dns;
using MonitorService.Checks.Model;
using MonitorService.Checks.Parsing;

namespace MonitorService.Checks.Drafts;

/// <summary>
/// The dry run: a draft policy and/or a hypothetical MX set judged by the rules of a real check — the policy parser
/// (syntax, version, mode, max_age, mx values), the coverage rule with its wildcard semantics — against what a check
/// saw published, plus what only a change raises: whether a new id is needed, and what senders holding the current
/// policy would do with the hypothetical MX hosts. Pure: the live report comes in, nothing is fetched or stored.
/// </summary>
public static class DraftEvaluator
{
    public static DraftReport Evaluate(CheckReport live, PolicyDraft draft, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(live);
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.Problem() is { } problem)
            throw new ArgumentException(problem, nameof(draft));
        var domain = live.Domain;
        var findings = new List<Finding>();
        var publishedBody = live.Policy is { HttpStatus: 200, Raw: { } raw } ? raw : null;
        var published = publishedBody is null ? null : StsPolicyParser.Parse(publishedBody).Policy;
        var publishedUsable = published is { IsUsable: true } ? published : null;

        StsPolicy? drafted = null;
        if (draft.Policy is { } body)
        {
            var parsed = StsPolicyParser.Parse(body);
            findings.AddRange(parsed.Findings);
            drafted = parsed.Policy;
        }
        // The policy the MX hosts would be matched against: the draft when there is one, else what is published.
        var effective = draft.Policy is null ? publishedUsable : drafted is { IsUsable: true } ? drafted : null;
        var hosts = Hosts(live, draft);
        if (effective is { Mode: not StsMode.None } && hosts.Count > 0)
            findings.AddRange(MxRules.EvaluateCoverage(Observations(domain, now, hosts), effective, live.Txt.Id));

        var newId = draft.Policy is { } d && (publishedBody is null || !SameBody(d, publishedBody));
        var txtRecord = newId ? NewPolicyId.TxtRecord(domain, NewPolicyId.At(now, live.Txt.Id)) : null;
        if (draft.Policy is not null)
            findings.Add(newId ? NewIdFinding(domain, live.Txt.Id, publishedUsable, txtRecord!) : Unchanged(domain));
        if (draft.Mx is not null && publishedUsable is { Mode: StsMode.Enforce or StsMode.Testing } current)
            findings.AddRange(CachedPolicy(domain, live.Txt.Id, current, hosts.Where(h => h.Hypothetical).Select(h => h.Record.Host)));
        if (draft.Mx is not null && effective is { Mode: not StsMode.None } && draft.Policy is not null)
            findings.AddRange(LiveHostsDropped(domain, live, draft.Mx, effective));

        return new DraftReport(
            domain,
            now,
            new PublishedPolicy(live.Txt.Id, published?.Mode is { } m ? StsPolicy.ModeName(m) : null, published?.MaxAge, published?.Mx ?? [],
                live.Mx.Select(x => MxPatternMatcher.NormalizeHost(x.Host)).ToList()),
            drafted is null ? null : new DraftPolicy(draft.Policy!, drafted.Mode is { } dm ? StsPolicy.ModeName(dm) : null, drafted.MaxAge, drafted.Mx, drafted.IsUsable),
            hosts.Select(h => MxHost(h, effective)).ToList(),
            newId,
            txtRecord,
            ReportBuilder.LimitPerCode(findings).OrderByDescending(f => f.Severity).ToList());
    }

    private sealed record Host(MxRecordData Record, string? Cname, bool Hypothetical);

    /// <summary>The hypothetical MX set, else the live one; a hypothetical host the check saw keeps the alias it had.</summary>
    private static List<Host> Hosts(CheckReport live, PolicyDraft draft)
    {
        var cnames = live.Mx.GroupBy(m => MxPatternMatcher.NormalizeHost(m.Host)).ToDictionary(g => g.Key, g => g.First().Cname);
        return draft.Mx is { } hypothetical
            ? hypothetical.Select(r => new Host(r, cnames.GetValueOrDefault(MxPatternMatcher.NormalizeHost(r.Host)), true)).ToList()
            : live.Mx.Where(m => m.Host is not ("" or ".")).Select(m => new Host(new MxRecordData(m.Preference, m.Host), m.Cname, false)).ToList();
    }

    /// <summary>Just what the coverage rule reads of a check's observations: the domain and each MX host with its alias.</summary>
    private static CheckObservations Observations(string domain, DateTimeOffset now, IReadOnlyList<Host> hosts) => new()
    {
        Domain = domain,
        CheckedAt = now,
        PolicyPort = 443,
        StsTxt = DnsAnswer<string>.None(),
        Mx = new DnsAnswer<MxRecordData>(DnsOutcome.Found, hosts.Select(h => h.Record).ToList()),
        TlsRpt = DnsAnswer<string>.None(),
        PolicyHostAddresses = DnsAnswer<IPAddress>.None(),
        MxHosts = hosts.Select(h => new MxHostObservation(h.Record, new DnsAnswer<IPAddress>(DnsOutcome.Found, [], h.Cname), [], null)).ToList(),
    };

    private static DraftMxHost MxHost(Host h, StsPolicy? effective)
    {
        if (effective is not { Mode: not StsMode.None })
            return new DraftMxHost(h.Record.Host, h.Record.Preference, h.Hypothetical, null, null);
        var by = MxPatternMatcher.FindCoveringPattern(effective.Mx.Where(MxPatternMatcher.IsValidPattern), h.Record.Host);
        return new DraftMxHost(h.Record.Host, h.Record.Preference, h.Hypothetical, by is not null, by);
    }

    /// <summary>Senders compare bodies as parsed, so line endings and trailing blank space at the end do not make a change.</summary>
    private static bool SameBody(string a, string b) => Canonical(a) == Canonical(b);

    private static string Canonical(string body) => body.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();

    private static Finding NewIdFinding(string domain, string? currentId, StsPolicy? current, string txtRecord)
    {
        var url = $"https://mta-sts.{domain}/.well-known/mta-sts.txt";
        var holding = current is { MaxAge: { } maxAge }
            ? $" Until they see it, senders that hold the current policy keep applying it (up to {maxAge} s after their last fetch)."
            : "";
        return new Finding(DraftCodes.NewIdNeeded, Severity.Warning, $"_mta-sts.{domain}",
            (currentId is null ? $"No valid _mta-sts record is published: senders find the draft only once {txtRecord} is." :
                $"The draft differs from the policy published under id \"{currentId}\": senders fetch a policy again only when the id changes (RFC 8461 §3.1), so it needs a new id.") + holding,
            "RFC 8461 §3.1",
            $"1. Serve the draft at {url}.\n2. Then, once it is served, publish the new id: {txtRecord}");
    }

    private static Finding Unchanged(string domain) =>
        new(DraftCodes.Unchanged, Severity.Info, $"mta-sts.{domain}",
            $"The draft is the policy {domain} publishes now (line endings aside): nothing to publish, no new id needed.", "RFC 8461 §3.1");

    private static IEnumerable<Finding> CachedPolicy(string domain, string? currentId, StsPolicy current, IEnumerable<string> hypothetical)
    {
        var patterns = current.Mx.Where(MxPatternMatcher.IsValidPattern).ToList();
        var uncovered = hypothetical.Where(h => MxPatternMatcher.FindCoveringPattern(patterns, h) is null).ToList();
        if (uncovered.Count == 0)
            yield break;
        var enforce = current.Mode == StsMode.Enforce;
        var hosts = string.Join(", ", uncovered);
        yield return new Finding(DraftCodes.CachedPolicyRefuses, enforce ? Severity.Error : Severity.Warning, hosts,
            $"Senders that hold the current policy of {domain} (id \"{currentId}\", mode {StsPolicy.ModeName(current.Mode!.Value)}, mx: " +
            $"{string.Join(", ", current.Mx)}; max_age {current.MaxAge} s) {(enforce ? "would refuse to deliver" : "would report failures for mail")} " +
            $"to {hosts} if the MX records pointed there. A sender keeps a policy for up to max_age after its last fetch and fetches " +
            "a new one only when it sees a new id (RFC 8461 §3.2, §5.1).",
            "RFC 8461 §3.2",
            $"1. Publish a policy covering {hosts}, then a new id.\n2. Change the MX records no earlier than {current.MaxAge} s after that.\n" +
            $"   (MonitorService domains plan {domain} --new-mx ... plans and watches these steps.)");
    }

    private static IEnumerable<Finding> LiveHostsDropped(string domain, CheckReport live, IReadOnlyList<MxRecordData> hypothetical, StsPolicy draft)
    {
        var kept = hypothetical.Select(r => MxPatternMatcher.NormalizeHost(r.Host)).ToHashSet();
        var patterns = draft.Mx.Where(MxPatternMatcher.IsValidPattern).ToList();
        var dropped = live.Mx.Select(m => MxPatternMatcher.NormalizeHost(m.Host))
            .Where(h => h.Length > 0 && !kept.Contains(h) && MxPatternMatcher.FindCoveringPattern(patterns, h) is null)
            .Distinct().ToList();
        if (dropped.Count == 0)
            yield break;
        var hosts = string.Join(", ", dropped);
        yield return new Finding(DraftCodes.LiveMxNotCovered, Severity.Warning, hosts,
            $"The draft does not cover {hosts}, which {domain}'s MX records point at now. Published before the MX records change, it makes " +
            "enforcing senders that fetch it refuse those hosts.",
            "RFC 8461 §4.1",
            $"Publish this draft only after the MX records no longer point at {hosts}; until then publish one that covers the current and the new hosts.");
    }
}
