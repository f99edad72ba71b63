namespace MonitorService.Storage.Entities;

/// <summary>A stored drift event, with the two observations it compares.</summary>
public sealed class DriftEventRecord
{
    public long Id { get; set; }
    public Guid DomainId { get; set; }
    public required string Code { get; set; }
    public required string Severity { get; set; }
    public string? Subject { get; set; }
    public required string Message { get; set; }
    public string? Fix { get; set; }
    public DateTimeOffset? Until { get; set; }
    public DateTimeOffset DetectedAt { get; set; }
    public long? FromObservationId { get; set; }
    public long ToObservationId { get; set; }
}
