using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace MonitorService.Scheduling;

/// <summary>
/// At start (registered after the Quartz hosted service, so the scheduler is running) makes the stored schedules match
/// <see cref="IDomainScheduleSource"/>: adds missing ones, updates changed intervals, removes the jobs of domains
/// that are gone or disabled. Existing triggers with an unchanged interval are kept, so restarts shift nothing.
/// A failure is logged, not fatal: the stored schedules keep running, and the next start tries again.
/// </summary>
public sealed class ScheduleReconciler(
    IDomainScheduleSource source,
    IDomainSchedule schedule,
    ISchedulerFactory schedulerFactory,
    ILogger<ScheduleReconciler> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await ReconcileAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not reconcile the check schedules with the registered domains");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>One reconciliation pass; returns how many domains are scheduled and how many stale jobs were removed.</summary>
    public async Task<(int Scheduled, int Removed)> ReconcileAsync(CancellationToken cancellationToken)
    {
        var entries = await source.ListAsync(cancellationToken);
        var wanted = new HashSet<Guid>();
        foreach (var entry in entries.Where(e => e.Enabled))
        {
            await schedule.ScheduleAsync(entry, cancellationToken);
            wanted.Add(entry.DomainId);
        }

        var removed = 0;
        foreach (var domainId in await StoredDomainsAsync(cancellationToken))
        {
            if (!wanted.Contains(domainId))
            {
                await schedule.UnscheduleAsync(domainId, cancellationToken);
                removed++;
            }
        }
        logger.LogInformation("Check schedules reconciled: {Scheduled} domains scheduled, {Removed} removed", wanted.Count, removed);
        return (wanted.Count, removed);
    }

    private async Task<List<Guid>> StoredDomainsAsync(CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var domains = new List<Guid>();
        const int page = 500;
        for (var skip = 0; ; skip += page)
        {
            var result = await scheduler.QueryJobs(
                new JobQuery { Group = GroupMatcher<JobKey>.GroupEquals(ScheduleKeys.JobGroup), Skip = skip, Take = page }, cancellationToken);
            foreach (var job in result.Items)
            {
                if (ScheduleKeys.TryParseDomainId(job.Key.Name, out var domainId))
                {
                    domains.Add(domainId);
                }
            }
            if (!result.HasMore || result.Items.Count == 0)
            {
                return domains;
            }
        }
    }
}
