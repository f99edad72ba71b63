namespace MonitorService.TlsRpt.Views;

/// <summary>
/// What senders reported about one domain over a range of report days (UTC): the shape the API and the CLI print,
/// and what the domain page and the digest draw from. Every string in it came from a report: attacker-controlled.
/// </summary>
public sealed record TlsRptSummary(
    string Domain,
    DateOnly From,
    DateOnly To,
    int Reports,
    IReadOnlyList<TlsRptDay> Days,
    IReadOnlyList<TlsRptOrganization> Organizations,
    IReadOnlyList<TlsRptFailureRow> Failures);

/// <summary>Sessions of one report day; a day without reports is present with zeros.</summary>
public sealed record TlsRptDay(DateOnly Date, long Successful, long Failed);

public sealed record TlsRptOrganization(string Name, long Successful, long Failed);

/// <summary>Failed sessions with the same details over the range; <paramref name="ExplainedBy"/> is our finding code that explains them, or null.</summary>
public sealed record TlsRptFailureRow(
    string ResultType,
    string Organization,
    string? ReceivingMx,
    string? ReceivingIp,
    string? SendingMtaIp,
    string? FailureReasonCode,
    long Sessions,
    string? ExplainedBy);
