using System.Globalization;

namespace MonitorService.TlsRpt.Alerts;

/// <summary>Failed sessions of one result type on the day, and how many of them none of our findings explains.</summary>
public sealed record ResultTypeSessions(string ResultType, long Sessions, long Unexplained);

/// <summary>What the alert rules look at for one registration and report day.</summary>
/// <param name="KnownResultTypes">Result types reported for the domain on any earlier day.</param>
public sealed record DayFacts(DateOnly Day, long Successful, long Failed, IReadOnlyList<ResultTypeSessions> ResultTypes, IReadOnlySet<string> KnownResultTypes)
{
    public long Total => Successful + Failed;
}

/// <summary>One reason a day alerts: which rule (one of <see cref="TlsRptAlertCodes"/>) and what it found, in words.</summary>
public sealed record AlertReason(string Code, string Text);

/// <summary>The rules' answer: alert or not, how bad, and why (one reason per rule that fired).</summary>
public sealed record AlertDecision(bool Alert, string Severity, IReadOnlyList<AlertReason> Reasons, IReadOnlyList<string> NewResultTypes)
{
    public static readonly AlertDecision Clear = new(false, "", [], []);
}

/// <summary>
/// Decides whether a report day alerts: its failed sessions pass the threshold (both a count and a share), a result
/// type appears that the domain never had, or failures remain that our checks do not explain. Pure.
/// </summary>
public static class TlsRptAlertRules
{
    public static AlertDecision Decide(DayFacts day, TlsRptAlertOptions options)
    {
        var reasons = new List<AlertReason>();
        var severity = "warning";
        var percent = day.Total == 0 ? 0 : 100.0 * day.Failed / day.Total;
        if (day.Failed >= options.MinFailedSessions && percent >= options.MinFailurePercent)
        {
            severity = "error";
            reasons.Add(new(TlsRptAlertCodes.FailedSessions,
                $"{day.Failed} of {day.Total} sessions failed ({Percent(percent)}), at or above the threshold of {options.MinFailedSessions} sessions and {Percent(options.MinFailurePercent)}."));
        }
        var fresh = day.ResultTypes.Where(r => r.Sessions > 0 && !day.KnownResultTypes.Contains(r.ResultType)).Select(r => r.ResultType).Order(StringComparer.Ordinal).ToList();
        if (fresh.Count > 0)
            reasons.Add(new(TlsRptAlertCodes.NewResultType, $"Result type(s) never reported for this domain before: {string.Join(", ", fresh)}."));
        var unexplained = day.ResultTypes.Sum(r => r.Unexplained);
        if (unexplained >= options.MinUnexplainedSessions)
        {
            severity = "error";
            reasons.Add(new(TlsRptAlertCodes.Unexplained, $"{unexplained} failed session(s) that none of our findings explains (a problem only senders see)."));
        }
        return reasons.Count == 0 ? AlertDecision.Clear : new AlertDecision(true, severity, reasons, fresh);
    }

    private static string Percent(double value) => value.ToString("0.##", CultureInfo.InvariantCulture) + " %";
}
