namespace MonitorService.TlsRpt.Alerts;

/// <summary>
/// The codes TLS-RPT alerts carry on the alert channels (the generic webhook's <c>code</c>, Slack's and Teams' item
/// titles): stable, for receivers to route on.
/// </summary>
public static class TlsRptAlertCodes
{
    /// <summary>The day's failed sessions reached the threshold (count and share).</summary>
    public const string FailedSessions = "TLSRPT_FAILED_SESSIONS";

    /// <summary>A result type never reported for the domain before.</summary>
    public const string NewResultType = "TLSRPT_NEW_RESULT_TYPE";

    /// <summary>Failed sessions that none of our findings explains.</summary>
    public const string Unexplained = "TLSRPT_UNEXPLAINED";

    /// <summary>One row of the day's failure details (context of an alert, not a reason of its own).</summary>
    public const string FailureDetail = "TLSRPT_FAILURE_DETAIL";

    /// <summary>An alerted report day, in a resolution.</summary>
    public const string Failures = "TLSRPT_FAILURES";
}
