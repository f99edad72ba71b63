namespace MonitorService.Alerts;

/// <summary>The log lines of queuing alert mail, source-generated: they run inside checks.</summary>
internal static partial class AlertQueueLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "No alert mail for {Domain} ({Headline}): the domain has no recipients")]
    public static partial void NoRecipients(this ILogger logger, string domain, string headline);

    [LoggerMessage(Level = LogLevel.Information, Message = "Queued {Kind} mail {MessageId} for {Domain} to {RecipientCount} recipients: {Headline}")]
    public static partial void Queued(this ILogger logger, string kind, string messageId, string domain, int recipientCount, string headline);
}
