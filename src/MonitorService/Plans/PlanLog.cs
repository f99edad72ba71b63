namespace MonitorService.Plans;

internal static partial class PlanLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Change plan {PlanId} of {Domain} created by {CreatedBy}: {StepCount} steps")]
    public static partial void Created(this ILogger logger, Guid planId, string domain, string? createdBy, int stepCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Change plan {PlanId} of {Domain} cancelled")]
    public static partial void Cancelled(this ILogger logger, Guid planId, string domain);

    [LoggerMessage(Level = LogLevel.Information, Message = "Change plan {PlanId} of {Domain}: step {Step} {Transition}")]
    public static partial void Transition(this ILogger logger, Guid planId, string domain, int step, PlanTransitionKind transition);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Change plan {PlanId} of {Domain}: step {Step} was observed before it was safe")]
    public static partial void Early(this ILogger logger, Guid planId, string domain, int step);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued change plan mail {MessageId} for {Domain} to {RecipientCount} recipients: {Subject}")]
    public static partial void Queued(this ILogger logger, string messageId, string domain, int recipientCount, string subject);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Change plan mail for {Domain} not queued: the domain has no recipients ({Subject})")]
    public static partial void NoRecipients(this ILogger logger, string domain, string subject);
}
