using MonitorService.Checks.Dns;
using MonitorService.Checks.Model;
using MonitorService.Checks.Parsing;

namespace MonitorService.Checks.Analysis;

/// <summary>MX records and how the policy covers them (RFC 8461 §4.1, RFC 7505, RFC 2181 §10.3).</summary>
internal static class MxRules
{
    private const string MatchRfc = "RFC 8461 §4.1";

    /// <summary>RFC 7505: a single MX with preference 0 and the root as exchange means "this domain takes no mail".</summary>
    public static bool IsNullMx(DnsAnswer<MxRecordData> mx) =>
        mx.Outcome == DnsOutcome.Found && mx.Records.Count == 1 && mx.Records[0].Host is "" or ".";

    public static IEnumerable<Finding> EvaluateRecords(CheckObservations o)
    {
        switch (o.Mx.Outcome)
        {
            case DnsOutcome.Failed:
                yield return new Finding(FindingCodes.MxDnsError, Severity.Error, o.Domain,
                    $"The MX lookup failed: {o.Mx.Error}. This is not the same as having no MX records; senders will retry.", "RFC 5321 §5.1");
                yield break;
            case DnsOutcome.NoRecord:
                yield return new Finding(FindingCodes.MxMissing, Severity.Error, o.Domain,
                    $"{o.Domain} has no MX records. Senders fall back to the domain's own address (RFC 5321 §5.1), which is rarely intended for a mail domain.", "RFC 5321 §5.1",
                    $"Publish MX records for {o.Domain}, or a null MX (\"0 .\") if it takes no mail.");
                yield break;
        }
        if (IsNullMx(o.Mx))
        {
            yield return new Finding(FindingCodes.MxNull, Severity.Info, o.Domain,
                $"{o.Domain} publishes a null MX (RFC 7505): it accepts no mail, so there is nothing for an MTA-STS policy to cover.", "RFC 7505 §3");
            yield break;
        }
        foreach (var host in o.MxHosts.Where(h => h.LookedUp))
        {
            var name = host.Record.Host;
            if (host.Addresses.Outcome == DnsOutcome.Failed)
                yield return new Finding(FindingCodes.MxDnsError, Severity.Error, name,
                    $"The address lookup of MX host {name} failed: {host.Addresses.Error}.", "RFC 5321 §5.1");
            else if (host.Addresses.Outcome == DnsOutcome.NoRecord)
                yield return new Finding(FindingCodes.MxNoAddress, Severity.Error, name,
                    $"MX host {name} (preference {host.Record.Preference}) has no A or AAAA record; senders cannot deliver to it.", "RFC 5321 §5.1",
                    $"Publish an A/AAAA record for {name}, or remove the MX record.");
            if (host.Addresses.CanonicalName is { } canonical)
                yield return new Finding(FindingCodes.MxCname, Severity.Warning, name,
                    $"MX host {name} is an alias (CNAME) of {canonical}. RFC 2181 §10.3 forbids MX targets that are aliases, and some senders (Exchange Online) match the canonical name against the policy and the certificate.", "RFC 2181 §10.3",
                    $"Point the MX record at {canonical} directly.");
        }
    }

    /// <summary>Which pattern covers each MX host; only meaningful with a usable policy whose mode is not none.</summary>
    public static IEnumerable<Finding> EvaluateCoverage(CheckObservations o, StsPolicy policy, string? currentId)
    {
        var patterns = policy.Mx.Where(MxPatternMatcher.IsValidPattern).ToList();
        var uncovered = o.MxHosts.Where(h => MxPatternMatcher.FindCoveringPattern(patterns, h.Record.Host) is null).ToList();
        var severity = Severities.ByMode(policy.Mode);
        foreach (var host in uncovered)
        {
            var name = host.Record.Host;
            var role = o.MxHosts.Count > 1 && host.Record.Preference > o.MxHosts.Min(h => h.Record.Preference) ? "backup MX" : "MX";
            yield return new Finding(FindingCodes.MxMismatch, severity, name,
                $"The {role} {name} (preference {host.Record.Preference}) is matched by no mx pattern of the policy ({Describe(patterns)}). {Consequence(policy.Mode, role)}",
                MatchRfc, FixFor(o.Domain, uncovered.Select(h => h.Record.Host), currentId));
        }
        foreach (var host in o.MxHosts)
        {
            if (host.Addresses.CanonicalName is { } canonical && MxPatternMatcher.FindCoveringPattern(patterns, canonical) is null)
                yield return new Finding(FindingCodes.MxCnameTargetNotCovered, Severity.Warning, host.Record.Host,
                    $"MX host {host.Record.Host} is an alias of {canonical}, which no mx pattern covers. Senders that match the canonical name (Exchange Online) treat this MX as not covered.",
                    MatchRfc, FixFor(o.Domain, [canonical], currentId));
        }
        var names = o.MxHosts.SelectMany(h => new[] { h.Record.Host, h.Addresses.CanonicalName }).OfType<string>().ToList();
        foreach (var pattern in patterns.Where(p => !names.Any(n => MxPatternMatcher.Matches(p, n))))
            yield return new Finding(FindingCodes.MxUnusedPattern, Severity.Info, pattern,
                $"The policy pattern \"{pattern}\" matches none of the current MX hosts; it may be left over from a migration.", MatchRfc,
                "Remove it from the policy when the old hosts are gone for good (then publish a new id).");
    }

    private static string Consequence(StsMode? mode, string role) => mode switch
    {
        StsMode.Enforce => role == "backup MX"
            ? "Enforcing senders will refuse to deliver to it: failover breaks exactly when the primary is down."
            : "Enforcing senders will refuse to deliver to it.",
        _ => "In testing mode senders still deliver but report a failure; under enforce they would refuse this host.",
    };

    private static string Describe(List<string> patterns) =>
        patterns.Count == 0 ? "none valid" : string.Join(", ", patterns.Select(p => $"\"{p}\""));

    public static string FixFor(string domain, IEnumerable<string> hosts, string? currentId)
    {
        var names = hosts.Select(MxPatternMatcher.NormalizeHost).Distinct().ToList();
        return CoverageFix.Text(domain, names, SuggestedId.For(currentId, names));
    }
}
