namespace MonitorService.Storage.Entities;

/// <summary>
/// A mail waiting to go out, or gone out: written in the same transaction as what caused it (transactional outbox),
/// then delivered by whichever node claims it first. The message is stored fully rendered, with its Message-Id, so
/// every attempt sends the same bytes and a receiver can recognise a repeat.
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
    /// <summary>The Message-Id header without angle brackets.</summary>
    public required string MessageId { get; set; }
    public required string Subject { get; set; }
    public List<string> Recipients { get; set; } = [];
    /// <summary>The complete message as 7-bit MIME text (headers and body), as it is sent.</summary>
    public required string Mime { get; set; }
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
