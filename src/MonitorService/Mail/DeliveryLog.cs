namespace MonitorService.Mail;

/// <summary>The per-mail log lines of <see cref="OutboxDelivery"/>, source-generated: they run for every message sent.</summary>
internal static partial class DeliveryLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "The claim on mail {OutboxId} ran out before its turn and was taken over; not sending it here")]
    public static partial void ClaimLostBeforeSend(this ILogger logger, Guid outboxId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The claim on mail {MessageId} expired during delivery; another node has taken it over")]
    public static partial void ClaimLostDuringSend(this ILogger logger, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {MessageId}: {Recipients} refused for now; queued a follow-up delivery {OutboxId} to them for {NextAttempt:o}")]
    public static partial void FollowUpQueued(this ILogger logger, string messageId, IReadOnlyList<string> recipients, Guid outboxId, DateTimeOffset nextAttempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Kind} mail {MessageId} ({Subject}) to {Recipients} via {Destination}")]
    public static partial void Sent(this ILogger logger, string kind, string messageId, string subject, IEnumerable<string> recipients, string destination);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail {MessageId} ({Subject}) was refused for {Refused} and will not be retried for them")]
    public static partial void RefusedForSome(this ILogger logger, string messageId, string subject, IEnumerable<string> refused);

    [LoggerMessage(Level = LogLevel.Error, Message = "Mail {MessageId} ({Subject}) was refused and will not be retried: {Error}")]
    public static partial void Refused(this ILogger logger, string messageId, string subject, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Gave up on mail {MessageId} ({Subject}) after {Attempts} attempts since {QueuedAt:o}: {Error}")]
    public static partial void GaveUp(this ILogger logger, string messageId, string subject, int attempts, DateTimeOffset queuedAt, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Mail {MessageId} not delivered (attempt {Attempt}), retrying at {NextAttempt:o}: {Error}")]
    public static partial void Retrying(this ILogger logger, string messageId, int attempt, DateTimeOffset nextAttempt, string? error);
}
