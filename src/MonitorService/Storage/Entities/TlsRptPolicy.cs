namespace MonitorService.Storage.Entities;

/// <summary>
/// One entry of a report's <c>policies</c> array: the policy a sender applied and the sessions it counted under it.
/// The report day and organisation are repeated from the report so that a domain's page reads one index range.
/// </summary>
public sealed class TlsRptPolicy
{
    public long Id { get; set; }
    public long ReportId { get; set; }
    /// <summary>0-based position in the report's <c>policies</c> array.</summary>
    public int N { get; set; }
    public DateOnly ReportDay { get; set; }
    public required string OrganizationName { get; set; }
    /// <summary>sts, tlsa, no-policy-found, or whatever the sender wrote (kept verbatim, capped).</summary>
    public required string PolicyType { get; set; }
    /// <summary>Lower-case, without a trailing dot; null when the sender left it out (seen with no-policy-found).</summary>
    public string? PolicyDomain { get; set; }
    /// <summary>The policy as the sender applied it: the lines of the STS policy, or the TLSA records.</summary>
    public List<string> PolicyStrings { get; set; } = [];
    /// <summary><c>mx-host</c> patterns (a string or an array in real reports; erratum 6241 makes it an array).</summary>
    public List<string> MxHosts { get; set; } = [];
    public long SuccessfulSessions { get; set; }
    public long FailedSessions { get; set; }
    /// <summary>The sum of the failure details' session counts; senders' totals often disagree with it, and both are kept.</summary>
    public long FailureDetailSessions { get; set; }
    public List<TlsRptFailure> Failures { get; set; } = [];
}
