namespace MonitorService.Storage.Entities;

/// <summary>One <c>failure-details</c> entry of a report policy (RFC 8460 §4.3): what went wrong, where, how often.</summary>
public sealed class TlsRptFailure
{
    public long Id { get; set; }
    public long PolicyId { get; set; }
    /// <summary>As the sender wrote it (registered or not, RFC 8460 §4.3 and the IANA registry), capped.</summary>
    public required string ResultType { get; set; }
    public string? SendingMtaIp { get; set; }
    public string? ReceivingMxHostname { get; set; }
    public string? ReceivingMxHelo { get; set; }
    public string? ReceivingIp { get; set; }
    public long FailedSessions { get; set; }
    public string? AdditionalInformation { get; set; }
    public string? FailureReasonCode { get; set; }
}
