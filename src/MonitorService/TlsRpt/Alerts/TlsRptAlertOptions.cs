namespace MonitorService.TlsRpt.Alerts;

/// <summary>When a report day alerts (configuration section <c>TlsRpt:Alerts</c>).</summary>
public sealed class TlsRptAlertOptions
{
    public const string SectionName = "TlsRpt:Alerts";

    public bool Enabled { get; set; } = true;

    /// <summary>A day alerts when its failed sessions reach this many ...</summary>
    public long MinFailedSessions { get; set; } = 10;

    /// <summary>... and this share of the day's sessions, in percent.</summary>
    public double MinFailurePercent { get; set; } = 1;

    /// <summary>Failed sessions none of our findings explains that alert on their own (a day below the threshold included).</summary>
    public long MinUnexplainedSessions { get; set; } = 1;

    /// <summary>How often the clustered job looks at recently received reports.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Reports received this long ago or less are (re)evaluated on every run; the unique key keeps it to one mail.</summary>
    public TimeSpan LookBack { get; set; } = TimeSpan.FromDays(2);

    /// <summary>Report days older than this never alert: a backfill import of last year's reports must not mail a year of alerts.</summary>
    public int MaxReportAgeDays { get; set; } = 7;

    public IEnumerable<string> Validate()
    {
        if (MinFailedSessions < 1)
            yield return "TlsRpt:Alerts:MinFailedSessions must be at least 1.";
        if (MinFailurePercent is < 0 or > 100 || double.IsNaN(MinFailurePercent))
            yield return "TlsRpt:Alerts:MinFailurePercent must be between 0 and 100.";
        if (MinUnexplainedSessions < 1)
            yield return "TlsRpt:Alerts:MinUnexplainedSessions must be at least 1.";
        if (Interval < TimeSpan.FromSeconds(10) || Interval > TimeSpan.FromDays(1))
            yield return "TlsRpt:Alerts:Interval must be between 00:00:10 and 1.00:00:00.";
        if (LookBack < Interval || LookBack > TimeSpan.FromDays(30))
            yield return "TlsRpt:Alerts:LookBack must be at least the interval and at most 30 days.";
        if (MaxReportAgeDays is < 1 or > 366)
            yield return "TlsRpt:Alerts:MaxReportAgeDays must be between 1 and 366.";
    }
}
