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
    /// <summary>
    /// The registered domain name this policy is shown under (the nearest registered name at or above its policy-domain
    /// or, for DANE, its MX hosts), set when it was stored: what a domain's page, API, alerts and digest select by.
    /// </summary>
    public string? DomainName { get; set; }
    /// <summary>The policy as the sender applied it: the lines of the STS policy, or the TLSA records.</summary>
    public List<string> PolicyStrings { get; set; } = [];
    /// <summary><c>mx-host</c> patterns (a string or an array in real reports; erratum 6241 makes it an array).</summary>
    public List<string> MxHosts { get; set; } = [];
    public long SuccessfulSessions { get; set; }
    public long FailedSessions { get; set; }
    /// <summary>The sum of the failure details' session counts; senders' totals often disagree with it, and both are kept.</summary>
    public long FailureDetailSessions { get; set; }
    public List<TlsRptFailure> Failures { get; set; } = [];

    // Who may see it (copied from how the report arrived onto each of its policies, so that a page filters one index
    // range without a join): the teams whose own address received it, and whether the shared address did.
    /// <summary>Teams whose own report address (<see cref="Team.TlsRptKey"/>) received the report.</summary>
    public List<Guid> DeliveredToTeams { get; set; } = [];
    /// <summary>
    /// Received at the shared address (<c>TlsRpt:PublicUrl</c>, the bare mailbox address, an import without --team):
    /// shown only while exactly one team has registered the domain (see <c>TlsRptVisibility</c>).
    /// </summary>
    public bool ViaSharedAddress { get; set; }
}
