namespace MonitorService.Storage.Entities;

/// <summary>
/// A mail or an alert channel delivery waiting to go out, or gone out: written in the same transaction as what caused
/// it (transactional outbox), then delivered by whichever node claims it first. It is stored fully rendered, with its
/// Message-Id (mail) or event id (channels), so every attempt sends the same content and a receiver can recognise a
/// repeat.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }
    /// <summary>One of <see cref="OutboxKinds"/>.</summary>
    public required string Kind { get; set; }
    public Guid? TeamId { get; set; }
    public Guid? DomainId { get; set; }
    /// <summary>Set when at most one message may exist for it (a team's weekly digest); unique.</summary>
    public string? DedupKey { get; set; }
    /// <summary>
    /// The Message-Id header without angle brackets; for a channel delivery the event id, the same for every channel
    /// of one event and on every attempt (the receiver's idempotency key).
    /// </summary>
    public required string MessageId { get; set; }
    public required string Subject { get; set; }
    public List<string> Recipients { get; set; } = [];
    /// <summary>The complete message as 7-bit MIME text (headers and body), as it is sent; empty for a channel delivery.</summary>
    public required string Mime { get; set; }
    /// <summary>How it goes out: <see cref="OutboxChannels.Mail"/>, or the kind of alert channel (<see cref="AlertChannelKinds"/>).</summary>
    public string Channel { get; set; } = OutboxChannels.Mail;
    /// <summary>The alert channel a channel delivery goes to; null for mail, and once the channel was removed.</summary>
    public Guid? ChannelId { get; set; }
    /// <summary>A channel delivery's request body (JSON), as it is sent on every attempt.</summary>
    public string? Payload { get; set; }
    /// <summary>One of <see cref="OutboxStatus"/>.</summary>
    public string Status { get; set; } = OutboxStatus.Queued;
    public int AttemptCount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Not before this time (backoff after a transient failure).</summary>
    public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>The claim of the node sending it now; another node may take the message over once <see cref="ClaimedUntil"/> passed.</summary>
    public Guid? ClaimToken { get; set; }
    public DateTimeOffset? ClaimedUntil { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public string? LastError { get; set; }
}

public static class OutboxKinds
{
    public const string Alert = "alert";
    public const string Resolution = "resolution";
    public const string Digest = "digest";
    /// <summary>"Send a test" of an alert channel: tried once, never retried.</summary>
    public const string Test = "test";
}

public static class OutboxChannels
{
    public const string Mail = "mail";
}

public static class OutboxStatus
{
    public const string Queued = "queued";
    /// <summary>Claimed by a node; back to queued (or taken over) if that node dies.</summary>
    public const string Sending = "sending";
    public const string Sent = "sent";
    /// <summary>Permanently refused, or still not deliverable when the retry window ran out.</summary>
    public const string Failed = "failed";
}
