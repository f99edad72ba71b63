using Microsoft.Extensions.Options;
using MonitorService.Scheduling;
using Quartz;

namespace MonitorService.Retention;

/// <summary>
/// Puts the prune job and its trigger into the clustered scheduler at start. Every node may do it at once: the job is
/// added only when missing, and the trigger replaced only when Retention:Interval changed, so restarts do not move it.
/// </summary>
public sealed class RetentionSchedule(
    ISchedulerFactory schedulerFactory,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionSchedule> logger) : IHostedService
{
    /// <summary>The first run after the trigger is created: not during start-up, when the node has its own catching up to do.</summary>
    public static readonly TimeSpan FirstRunDelay = TimeSpan.FromMinutes(10);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not schedule the prune job; old history is not pruned until a node schedules it");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task EnsureAsync(CancellationToken ct)
    {
        var scheduler = await schedulerFactory.GetScheduler(ct);
        var interval = options.Value.Interval;
        // Missed while every node was down: run once when one is back, not once per missed interval.
        if (!await RecurringJob.EnsureAsync<PruneHistoryJob>(scheduler, PruneHistoryJob.Key, PruneHistoryJob.TriggerKey, "Deletes history older than Retention:Days",
                interval, time.GetUtcNow() + FirstRunDelay, SimpleTriggerMisfireInstruction.NowWithExistingCount, ct))
            return;
        logger.LogInformation("History older than {Days} days is pruned every {Interval}", options.Value.Days, interval);
    }
}
