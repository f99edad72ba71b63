using Quartz;

namespace MonitorService.Observability;

/// <summary>Feeds scheduler misfires and dispatch lag (actual start minus scheduled time) into <see cref="MonitorMetrics"/>.</summary>
public sealed class SchedulerMetricsListener(MonitorMetrics metrics) : ITriggerListener
{
    public string Name => "metrics";

    public ValueTask TriggerFired(ITrigger trigger, IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        if (context.ScheduledFireTimeUtc is { } scheduled)
            metrics.TriggerFired(context.FireTimeUtc - scheduled);
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> VetoJobExecution(ITrigger trigger, IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(false);

    public ValueTask TriggerMisfired(ITrigger trigger, IScheduler scheduler, CancellationToken cancellationToken = default)
    {
        metrics.TriggerMisfired();
        return ValueTask.CompletedTask;
    }

    public ValueTask TriggerComplete(ITrigger trigger, IJobExecutionContext context, SchedulerInstruction triggerInstructionCode, CancellationToken cancellationToken = default) =>
        ValueTask.CompletedTask;
}
