using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace MonitorService.Scheduling;

/// <summary>
/// At start (registered after the Quartz hosted service, so the scheduler is running) makes the stored schedules match
/// <see cref="IDomainScheduleSource"/>: adds missing ones, updates changed intervals, removes the jobs of domains
/// that are gone or disabled. Existing triggers with an unchanged interval are kept, so restarts shift nothing.
/// Then, every <see cref="SchedulingOptions.ReconcileInterval"/>, it handles only the domains added or changed since
/// the last pass (a removed domain's job removes itself when it next fires and finds no domain). New domains get
/// their first check at once. A failure is logged, not fatal: the stored schedules keep running.
/// </summary>
public sealed class ScheduleReconciler(
    IDomainScheduleSource source,
    IDomainSchedule schedule,
    ISchedulerFactory schedulerFactory,
    SchedulingOptions options,
    TimeProvider time,
    ReconcileMetrics metrics,
    ILogger<ScheduleReconciler> logger) : BackgroundService
{
    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset? _lastPass;

    /// <summary>Completes when the first full pass after start has finished (successfully or not).</summary>
    public Task FirstPassCompleted => _firstPass.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // In the background: with many domains the first pass takes a while, and the node serves meanwhile (the
        // schedules stored in the cluster keep running; this pass only adds what is missing).
        await Task.Yield();
        try
        {
            await PassAsync(full: true, stoppingToken);
        }
        finally
        {
            _firstPass.TrySetResult();
        }
        using var timer = new PeriodicTimer(options.ReconcileInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
            await PassAsync(full: false, stoppingToken);
    }

    private async Task PassAsync(bool full, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            if (full)
                await ReconcileAsync(cancellationToken);
            else
                await ReconcileChangesAsync(cancellationToken);
            metrics.PassCompleted(full, time.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not reconcile the check schedules with the registered domains");
        }
    }

    /// <summary>Schedules the domains added or changed since the last pass.</summary>
    public async Task<int> ReconcileChangesAsync(CancellationToken cancellationToken)
    {
        // A little overlap: a change committed while the previous pass ran is not missed.
        var since = _lastPass - TimeSpan.FromSeconds(5);
        var started = time.GetUtcNow();
        var entries = await source.ListAsync(since, cancellationToken);
        foreach (var entry in entries)
            await ApplyAsync(entry, cancellationToken);
        _lastPass = started;
        if (entries.Count > 0)
            logger.LogInformation("Check schedules updated for {Count} added or changed domains", entries.Count);
        return entries.Count;
    }

    private async Task ApplyAsync(DomainScheduleEntry entry, CancellationToken cancellationToken)
    {
        if (!entry.Enabled)
        {
            await schedule.UnscheduleAsync(entry.DomainId, cancellationToken);
            return;
        }
        // Only the node that created the schedule starts the first check; the others found it made already.
        if (await schedule.ScheduleAsync(entry, cancellationToken) && entry.NeverChecked)
            await schedule.TriggerNowAsync(entry.DomainId, cancellationToken);
    }

    /// <summary>One full reconciliation pass; returns how many domains are scheduled and how many stale jobs were removed.</summary>
    public async Task<(int Scheduled, int Removed)> ReconcileAsync(CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var entries = await source.ListAsync(null, cancellationToken);
        var wanted = new HashSet<Guid>();
        foreach (var entry in entries.Where(e => e.Enabled))
        {
            await ApplyAsync(entry, cancellationToken);
            wanted.Add(entry.DomainId);
        }
        _lastPass = started;

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
