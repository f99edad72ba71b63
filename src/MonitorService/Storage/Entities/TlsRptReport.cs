namespace MonitorService.Storage.Entities;

/// <summary>
/// One TLS-RPT aggregate report (RFC 8460 §4) as a sending organisation filed it, stored once whichever intake
/// (HTTPS, mailbox, import) brought it: (organisation, report-id, content) is unique. Reports are keyed by domain name;
/// who sees them depends on the address they were sent to (<see cref="TlsRptPolicy.DeliveredToTeams"/>).
/// </summary>
public sealed class TlsRptReport
{
    public long Id { get; set; }
    public required string OrganizationName { get; set; }
    public required string ReportId { get; set; }
    /// <summary>
    /// SHA-256 (hex) of the report JSON. Part of the duplicate key: anyone may post a report, and report-ids are often
    /// predictable (a date and the domain), so a forged report posted first must not make the real one a "duplicate".
    /// Empty for reports stored before it was kept.
    /// </summary>
    public string ContentSha256 { get; set; } = "";
    public string? ContactInfo { get; set; }
    public DateTimeOffset StartAt { get; set; }
    public DateTimeOffset EndAt { get; set; }
    /// <summary>The UTC day the report covers (its start's date: an end at the next day's 00:00:00Z stays in it).</summary>
    public DateOnly ReportDay { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    /// <summary>One of <see cref="TlsRptSources"/>.</summary>
    public required string Source { get; set; }
    /// <summary>Where it came from within the source: the client address, the message id, the file name.</summary>
    public string? SourceDetail { get; set; }
    /// <summary>The report JSON as received (after gzip, if any), gzip-compressed again for storage.</summary>
    public required byte[] RawGzip { get; set; }
    public List<TlsRptPolicy> Policies { get; set; } = [];
}

/// <summary>Where a report (or a rejected one) came in.</summary>
public static class TlsRptSources
{
    public const string Https = "https";
    public const string Mailbox = "imap";
    public const string Import = "import";
}
