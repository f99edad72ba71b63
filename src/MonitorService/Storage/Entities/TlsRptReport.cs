namespace MonitorService.Storage.Entities;

/// <summary>
/// One TLS-RPT aggregate report (RFC 8460 §4) as a sending organisation filed it, stored once whichever intake
/// (HTTPS, mailbox, import) brought it: (organisation, report-id) is unique. Reports are facts about a policy domain,
/// not about one team's registration, so they are keyed by domain name and shown to every team that registered it.
/// </summary>
public sealed class TlsRptReport
{
    public long Id { get; set; }
    public required string OrganizationName { get; set; }
    public required string ReportId { get; set; }
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
