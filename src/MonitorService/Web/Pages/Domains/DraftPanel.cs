using MonitorService.Checks.Drafts;
using MonitorService.Checks.Model;

namespace MonitorService.Web.Pages.Domains;

/// <summary>
/// The domain page's "Try a draft" box: what was typed, and the dry run of it against the latest stored report (no
/// network work, nothing stored).
/// </summary>
public sealed record DraftPanel(string? Policy, string? Mx, DraftReport? Result, string? Error)
{
    public static readonly DraftPanel Empty = new(null, null, null, null);

    /// <summary>Evaluates what was typed; a typing mistake (a host name, a draft too large) is an error to show, not an exception.</summary>
    public static DraftPanel Evaluate(CheckReport? latest, string? policy, string? mx, DateTimeOffset now)
    {
        var text = string.IsNullOrWhiteSpace(policy) ? null : policy;
        IReadOnlyList<Checks.Dns.MxRecordData>? records = null;
        if (!string.IsNullOrWhiteSpace(mx) && !MxList.TryParse([mx], out records, out var mxError))
            return new DraftPanel(policy, mx, null, $"MX hosts: {mxError}.");
        var draft = new PolicyDraft(text, records);
        if (draft.Problem() is { } problem)
            return new DraftPanel(policy, mx, null, $"{char.ToUpperInvariant(problem[0])}{problem[1..]}.");
        if (latest is null)
            return new DraftPanel(policy, mx, null, "The domain has not been checked yet: a draft is judged against what the latest check saw.");
        return new DraftPanel(policy, mx, DraftEvaluator.Evaluate(latest, draft, now), null);
    }
}
