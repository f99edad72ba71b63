using MonitorService.Checks.Model;
using MonitorService.Checks.Parsing;

namespace MonitorService.Plans;

/// <summary>What the domain published when the plan was made, from its latest check.</summary>
/// <param name="MxHosts">The MX hosts, normalised, most preferred first.</param>
/// <param name="Patterns">The valid mx patterns of the published policy, normalised (lower case, no trailing dot), in order.</param>
public sealed record PlanBaseline(string Domain, IReadOnlyList<string> MxHosts, IReadOnlyList<string> Patterns, StsMode Mode, long MaxAge, string? TxtId)
{
    /// <summary>
    /// The baseline from a check report, or a <see cref="PlanRequestException"/> (conflict) saying why no plan can be
    /// made from it: the MX lookup failed, no valid policy was fetched, or the mode is none (senders then do not
    /// look at MX hosts at all, so they can change at any time).
    /// </summary>
    public static PlanBaseline FromReport(CheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Findings.Any(f => f.Code == FindingCodes.CheckTimeout || (f.Code == FindingCodes.MxDnsError && f.Subject == report.Domain)))
            throw Conflict($"The latest check of {report.Domain} could not look up its MX records; plan the change after a check that did.");
        if (report.Mx.Count == 0)
            throw Conflict($"{report.Domain} has no MX records to change from; publish the new ones together with a policy covering them.");
        if (report.Policy is not { HttpStatus: 200, Raw: { } body })
            throw Conflict($"The latest check of {report.Domain} fetched no MTA-STS policy; plan the change after a check that did.");
        var policy = StsPolicyParser.Parse(body).Policy;
        if (!policy.IsUsable || policy.Mode is not { } mode || policy.MaxAge is not { } maxAge)
            throw Conflict($"The policy {report.Domain} publishes is not valid, so senders do not apply it; fix it first (see the report).");
        if (mode == StsMode.None)
            throw Conflict($"The policy of {report.Domain} has mode none: senders do not check MX hosts against it, so the MX records can change at any time.");
        var hosts = report.Mx.OrderBy(m => m.Preference).Select(m => MxPatternMatcher.NormalizeHost(m.Host)).Where(h => h.Length > 0).Distinct().ToList();
        var patterns = policy.Mx.Where(MxPatternMatcher.IsValidPattern).Select(MxPatternMatcher.NormalizeHost).Distinct().ToList();
        return new PlanBaseline(report.Domain, hosts, patterns, mode, maxAge, report.Txt.Id);
    }

    private static PlanRequestException Conflict(string message) => new(PlanError.Conflict, message);
}
