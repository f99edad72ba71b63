using System.Text.Json.Serialization;
using MonitorService.Checks.Model;

namespace MonitorService.Checks.Drafts;

/// <summary>
/// What a dry run concluded. JSON (<c>check --policy-file</c> / <c>--mx</c> with <c>--format json</c>):
/// <c>{"domain", "evaluatedAt", "published", "draft", "mx", "newIdNeeded", "txtRecord", "findings", "status"}</c>.
/// </summary>
/// <param name="Draft">The draft policy as parsed; null when none was given (the published policy is evaluated).</param>
/// <param name="Mx">The MX set evaluated (the hypothetical one, else the live one) and how the policy covers each host.</param>
/// <param name="TxtRecord">The record to publish after the draft when <paramref name="NewIdNeeded"/>.</param>
public sealed record DraftReport(
    string Domain,
    DateTimeOffset EvaluatedAt,
    PublishedPolicy Published,
    DraftPolicy? Draft,
    IReadOnlyList<DraftMxHost> Mx,
    bool NewIdNeeded,
    string? TxtRecord,
    IReadOnlyList<Finding> Findings)
{
    /// <summary>Worst severity, as a check's: "ok" when there are only info findings.</summary>
    public string Status => Findings.Count == 0 ? "ok" : Findings.Max(f => f.Severity) switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "ok",
    };

    [JsonIgnore]
    public bool HasErrors => Findings.Any(f => f.Severity == Severity.Error);
}

/// <summary>What is published now, as the check saw it (null members: none, or not fetched).</summary>
public sealed record PublishedPolicy(string? TxtId, string? Mode, long? MaxAge, IReadOnlyList<string> Mx, IReadOnlyList<string> MxHosts);

public sealed record DraftPolicy(string Raw, string? Mode, long? MaxAge, IReadOnlyList<string> Mx, bool Usable);

/// <param name="Hypothetical">True when the host came from the hypothetical MX set.</param>
/// <param name="Covered">Null when no usable policy applies to MX hosts (none, or mode none).</param>
public sealed record DraftMxHost(string Host, int Preference, bool Hypothetical, bool? Covered, string? CoveredBy);
