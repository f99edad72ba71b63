namespace MonitorService.Monitoring;

/// <summary>The per-check log lines, source-generated: they run on every check of every domain.</summary>
internal static partial class CheckLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Domain {DomainId} no longer exists; nothing to check")]
    public static partial void DomainGone(this ILogger logger, Guid domainId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checking {Domain} ({Trigger})")]
    public static partial void Checking(this ILogger logger, string domain, CheckTrigger trigger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Checked {Domain}: {Status}, {FindingCount} findings, {EventCount} drift events, state {StateChange}")]
    public static partial void Checked(this ILogger logger, string domain, string status, int findingCount, int eventCount, string stateChange);
}
