using Quartz;

namespace MonitorService.Retention;

/// <summary>
/// Runs <see cref="RetentionPruner"/> every Retention:Interval. One durable job in the clustered scheduler, never two
/// runs at once anywhere in the cluster: two pruners would only fight over the same rows.
/// </summary>
[DisallowConcurrentExecution]
public sealed class PruneHistoryJob(RetentionPruner pruner, ILogger<PruneHistoryJob> logger) : IJob
{
    public static readonly JobKey Key = new("prune-history", "retention");
    public static readonly TriggerKey TriggerKey = new("prune-history", "retention");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await pruner.PruneAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not rethrown: every committed batch stays done, and the next run carries on from there.
            logger.LogError(ex, "Pruning old history failed");
        }
    }
}
