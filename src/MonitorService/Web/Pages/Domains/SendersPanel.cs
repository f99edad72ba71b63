using System.Globalization;
using MonitorService.TlsRpt.Views;

namespace MonitorService.Web.Pages.Domains;

/// <summary>
/// The domain page's "What senders saw" card: the sessions chart (SVG drawn here, no script), failures with the
/// finding that explains them, the policies senders applied, disagreeing totals, and the record to publish when
/// reports do not reach us yet. Everything from reports is text for Razor to encode.
/// </summary>
public sealed record SendersPanel(
    Guid DomainId,
    int Days,
    TlsRptSummary Summary,
    SessionChart Chart,
    IReadOnlyList<SenderPolicyView> SenderPolicies,
    IReadOnlyList<TotalsMismatchView> TotalsMismatches,
    TlsRptSetupAdvice? Setup,
    IReadOnlyList<string> TeamAddresses)
{
    /// <summary>The ranges the page offers (<c>?senders=30</c> or <c>90</c>).</summary>
    public static readonly int[] Ranges = [30, 90];

    /// <summary>Failure rows the page lists (the busiest first): the page stays small; the API has the rest.</summary>
    public const int MaxFailureRows = 100;

    public static int RangeOf(int? requested) => requested is { } r && Ranges.Contains(r) ? r : Ranges[0];

    public long Successful => Summary.Days.Sum(d => d.Successful);
    public long Failed => Summary.Days.Sum(d => d.Failed);

    public static string FailureRate(long successful, long failed) =>
        successful + failed == 0 ? "—" : (100.0 * failed / (successful + failed)).ToString("0.##", CultureInfo.InvariantCulture) + " %";

    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Verdict(SenderPolicyJudgement j) => j.Verdict switch
    {
        SenderPolicyVerdict.Current => "the policy we observed then",
        SenderPolicyVerdict.StaleCached => $"a stale cached policy: we replaced it on {Display.Time(j.Ours!.LastSeen)}, senders may hold it until {Display.Time(j.CachedUntil)} (its max_age)",
        SenderPolicyVerdict.Different => j.Ours is { } ours
            ? $"differs from the policy we observed then (id {ours.TxtId ?? "—"}) and is not one senders may still cache"
            : "differs from every policy we observed",
        _ => "not comparable: we did not observe the domain then",
    };

    public static string SetupText(TlsRptSetupReason reason) => reason switch
    {
        TlsRptSetupReason.NoRecord => "The domain publishes no TLS-RPT record, so senders send no reports.",
        TlsRptSetupReason.NotToUs => "The domain's TLS-RPT record does not send reports to this team.",
        _ => "The domain's TLS-RPT record sends reports to this monitor's shared address, and another team has registered this domain too: reports at the shared address are shown to neither team (they list your partners' sending infrastructure).",
    };

    public static string VerdictTone(SenderPolicyVerdict v) => v switch
    {
        SenderPolicyVerdict.Current => "tone-ok",
        SenderPolicyVerdict.StaleCached => "tone-warning",
        SenderPolicyVerdict.Different => "tone-error",
        _ => "tone-pending",
    };
}
