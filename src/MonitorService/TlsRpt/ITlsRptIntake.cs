using MimeKit;

namespace MonitorService.TlsRpt;

/// <summary>
/// Where every TLS-RPT intake (HTTPS, the mailbox, the import command) hands what it received. Parses, checks that
/// the report is about a registered domain, and stores it once; what cannot be parsed is kept with the reason.
/// </summary>
public interface ITlsRptIntake
{
    /// <summary>A report body as received: JSON or gzip-compressed JSON (told apart by gzip's magic bytes, not by a content type).</summary>
    Task<TlsRptIntakeResult> AcceptReportAsync(ReadOnlyMemory<byte> body, TlsRptOrigin origin, CancellationToken cancellationToken);

    /// <summary>A mail message: a <c>multipart/report; report-type=tlsrpt</c> with a report part, or a report that is the whole message.</summary>
    Task<TlsRptIntakeResult> AcceptMessageAsync(MimeMessage message, TlsRptOrigin origin, CancellationToken cancellationToken);
}

/// <summary>
/// Where something came in: a <see cref="Storage.Entities.TlsRptSources"/> value and, within it, the client address,
/// message id or file name; <paramref name="TeamKey"/> when it came to a team's own address (the HTTPS path
/// <c>TlsRpt:Path/KEY</c>, <c>tlsrpt import --team</c>). A message's own recipients (<c>local+KEY@…</c>) are read by the intake.
/// </summary>
public sealed record TlsRptOrigin(string Source, string? Detail, string? TeamKey = null);

public enum TlsRptIntakeOutcome
{
    /// <summary>Parsed and stored.</summary>
    Stored,
    /// <summary>Parsed; the same organisation and report-id was stored before (through any intake). Nothing new written.</summary>
    Duplicate,
    /// <summary>Parsed, but no policy in it is about a registered domain: not stored.</summary>
    NotOurs,
    /// <summary>A message that holds no report (nothing to parse): left alone.</summary>
    NoReport,
    /// <summary>Could not be parsed (or was over a size limit): kept raw with <see cref="TlsRptIntakeResult.Reason"/>.</summary>
    Invalid,
    /// <summary>Sent to a team address (<see cref="TlsRptOrigin.TeamKey"/>) that no team has: nothing read or stored.</summary>
    UnknownAddress,
}

/// <summary>What became of one thing handed to the intake; <paramref name="Reason"/> says why in words for every outcome but Stored.</summary>
public sealed record TlsRptIntakeResult(TlsRptIntakeOutcome Outcome, string? Reason = null, long? StoredReportId = null);
