using Microsoft.Extensions.Logging;
using MonitorService.Monitoring;
using Quartz;

namespace MonitorService.Scheduling;

/// <summary>The log lines of <see cref="CheckDomainJob"/>, source-generated: the job runs for every check.</summary>
internal static partial class CheckJobLog
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobKey} names no domain; removing it")]
    public static partial void JobWithoutDomain(this ILogger logger, JobKey jobKey);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checking domain {DomainId} ({Trigger}, scheduled {ScheduledAt:o})")]
    public static partial void CheckStarting(this ILogger logger, Guid domainId, CheckTrigger trigger, DateTimeOffset? scheduledAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Domain {DomainId} no longer exists; removing its checks")]
    public static partial void DomainRemoved(this ILogger logger, Guid domainId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Check of domain {DomainId} ({Trigger}) was cancelled")]
    public static partial void CheckCancelled(this ILogger logger, Guid domainId, CheckTrigger trigger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Check of domain {DomainId} ({Trigger}) failed")]
    public static partial void CheckFailed(this ILogger logger, Exception exception, Guid domainId, CheckTrigger trigger);
}
