namespace MonitorService.Scheduling;

/// <summary>
/// Keeps the reconciler behind the checks: before each chunk of a pass it waits while checks are overdue in the cluster
/// (<see cref="DueCheckBacklog"/>), up to <see cref="SchedulingOptions.ReconcileYieldLimit"/> per chunk, so a start-up or
/// a bulk registration takes longer on a busy cluster rather than making due checks late. The limit keeps the pass moving
/// on a cluster that is behind anyway (its new domains must be scheduled some time).
/// </summary>
public sealed class ReconcilePacing(Func<CancellationToken, Task<bool>> anyOverdue, SchedulingOptions options, TimeProvider clock)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public ReconcilePacing(DueCheckBacklog backlog, SchedulingOptions options, TimeProvider clock)
        : this(backlog.AnyOverdueAsync, options, clock)
    {
    }

    /// <summary>Waits while checks are overdue, at most the yield limit; returns how long it waited.</summary>
    public async Task<TimeSpan> YieldToDueChecksAsync(CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        while (clock.GetElapsedTime(started) < options.ReconcileYieldLimit && await anyOverdue(cancellationToken))
        {
            await Task.Delay(Poll, clock, cancellationToken);
        }
        return clock.GetElapsedTime(started);
    }
}
