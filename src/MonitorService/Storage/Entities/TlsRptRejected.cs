namespace MonitorService.Storage.Entities;

/// <summary>
/// Something that came in as a report and could not be parsed: kept (raw, capped) with the reason so that an
/// administrator can see it and nothing is silently dropped. The same bytes are stored once (<see cref="Sha256"/>).
/// </summary>
public sealed class TlsRptRejected
{
    public long Id { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
    /// <summary>One of <see cref="TlsRptSources"/>.</summary>
    public required string Source { get; set; }
    public string? SourceDetail { get; set; }
    public required string Reason { get; set; }
    /// <summary>Hex SHA-256 of the bytes as received, before the cap.</summary>
    public required string Sha256 { get; set; }
    /// <summary>The bytes as received, cut at the cap and gzip-compressed for storage.</summary>
    public required byte[] RawGzip { get; set; }
    public bool Truncated { get; set; }
}
