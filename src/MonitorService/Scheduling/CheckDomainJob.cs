using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MonitorService.Monitoring;
using Quartz;

namespace MonitorService.Scheduling;

/// <summary>
/// One domain's check. The job is keyed per domain and non-concurrent, so in the cluster a domain's check never runs
/// twice at once; a trigger firing while it runs waits for it. Failures are logged, never rethrown: the next trigger
/// (or a retry the runner asks for) is the recovery, not an immediate refire.
/// </summary>
[DisallowConcurrentExecution]
public sealed class CheckDomainJob(
    IServiceScopeFactory scopes,
    QuartzDomainSchedule schedule,
    SchedulingOptions options,
    ILogger<CheckDomainJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!TryGetDomainId(context, out var domainId))
        {
            logger.JobWithoutDomain(context.JobDetail.Key);
            await context.Scheduler.DeleteJob(context.JobDetail.Key, cancellationToken);
            return;
        }
        var kind = ScheduleKeys.KindOf(context.Trigger.Key);
        try
        {
            logger.CheckStarting(domainId, kind, context.ScheduledFireTimeUtc);
            MonitoredCheckOutcome outcome;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var runner = scope.ServiceProvider.GetRequiredService<IDomainCheckRunner>();
                outcome = await runner.RunAsync(domainId, kind, cancellationToken);
            }

            if (!outcome.DomainFound)
            {
                logger.DomainRemoved(domainId);
                await schedule.UnscheduleAsync(domainId, cancellationToken);
                return;
            }
            if (outcome.RetryAt is { } retryAt)
            {
                await schedule.ScheduleRetryAsync(domainId, retryAt, cancellationToken);
            }
            if (kind == CheckTrigger.Scheduled && context.ScheduledFireTimeUtc is { } scheduled && context.Trigger is ISimpleTrigger simple
                && !ScheduleGrid.IsOnGrid(domainId, simple.RepeatInterval, options.JitterFraction, scheduled))
            {
                // A misfire catch-up: put the domain back on its spread-out schedule.
                await schedule.RealignAsync(domainId, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            logger.CheckCancelled(domainId, kind);
        }
        catch (Exception ex)
        {
            // Not rethrown: Quartz would record the failure and could refire; the next scheduled check is the retry.
            logger.CheckFailed(ex, domainId, kind);
        }
    }

    private static bool TryGetDomainId(IJobExecutionContext context, out Guid domainId)
    {
        if (context.MergedJobDataMap.TryGetValue(ScheduleKeys.DomainIdKey, out var value) && value is string text && Guid.TryParse(text, out domainId))
        {
            return true;
        }
        return ScheduleKeys.TryParseDomainId(context.JobDetail.Key.Name, out domainId);
    }
}
