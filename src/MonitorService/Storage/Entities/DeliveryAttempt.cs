namespace MonitorService.Storage.Entities;

/// <summary>One try to hand an outbox message to the mail server, with its outcome.</summary>
public sealed class DeliveryAttempt
{
    public long Id { get; set; }
    public Guid OutboxMessageId { get; set; }
    public DateTimeOffset AttemptedAt { get; set; }
    /// <summary>One of <see cref="DeliveryOutcomes"/>.</summary>
    public required string Outcome { get; set; }
    /// <summary>The server's reply or the error, for the operator.</summary>
    public string? Detail { get; set; }
    /// <summary>Where it went: "smtp://host:port" or the .eml file.</summary>
    public string? Transport { get; set; }
}

public static class DeliveryOutcomes
{
    public const string Sent = "sent";
    /// <summary>Worth retrying: connection refused, timeout, 4xx, a refused login (the configuration may be fixed meanwhile).</summary>
    public const string Transient = "transient";
    /// <summary>Not worth retrying: 5xx for this message.</summary>
    public const string Permanent = "permanent";
}
