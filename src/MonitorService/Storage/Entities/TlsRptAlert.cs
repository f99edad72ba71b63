namespace MonitorService.Storage.Entities;

/// <summary>
/// A report day of a domain registration that alerted: (domain, report day) is unique, so that however often the
/// alert job runs, and on however many nodes, one alert (mail and channel deliveries) goes out per registration and
/// day. Resolved (once) when a later report day comes in clear.
/// </summary>
public sealed class TlsRptAlert
{
    public long Id { get; set; }
    public Guid DomainId { get; set; }
    public DateOnly ReportDay { get; set; }
    /// <summary>error or warning: the worst reason.</summary>
    public required string Severity { get; set; }
    /// <summary>Why it alerted, one reason a line (our words; report data is only quoted in the mail).</summary>
    public required string Reasons { get; set; }
    public long FailedSessions { get; set; }
    public long TotalSessions { get; set; }
    public DateTimeOffset AlertedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }
    /// <summary>The later, clear report day that resolved it.</summary>
    public DateOnly? ResolvedByDay { get; set; }
}
