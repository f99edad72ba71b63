namespace MonitorService.Alerts;

/// <summary>One new problem (an opened incident or a drift event), or a resolved one, as a mail lists it.</summary>
/// <param name="Source">"incident", "drift" or "tlsrpt" (a TLS-RPT report day); "test" for a channel test.</param>
/// <param name="Until">Until when cached policies keep acting, when that is known.</param>
public sealed record AlertItem(string Source, string Code, string Severity, string? Subject, string Message, string? Fix, DateTimeOffset? Until, DateTimeOffset? Since = null);

/// <summary>Everything one alert (or resolution) mail says about one domain after one check.</summary>
/// <param name="New">What alerts: worst first.</param>
/// <param name="Context">Other changes of the same check (MX set or policy before/after), for the whole picture.</param>
/// <param name="Resolved">Incidents this check closed.</param>
public sealed record AlertContent(
    string Domain,
    string Headline,
    DateTimeOffset CheckedAt,
    IReadOnlyList<AlertItem> New,
    IReadOnlyList<AlertItem> Context,
    IReadOnlyList<AlertItem> Resolved,
    Uri? DashboardLink)
{
    public bool IsResolution => New.Count == 0 && Resolved.Count > 0;
}
