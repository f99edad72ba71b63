using System.Collections.Concurrent;
using Quartz;

namespace MonitorService.Tests.Scheduling;

/// <summary>One firing as Quartz saw it: which node executed which trigger for which scheduled time.</summary>
public sealed record RecordedFire(string Node, JobKey Job, TriggerKey Trigger, DateTimeOffset? ScheduledFireTime, string FireInstanceId);

/// <summary>A Quartz job listener shared by every node of a test.</summary>
public sealed class FireRecorder : IJobListener
{
    private readonly ConcurrentQueue<RecordedFire> _fires = new();

    public string Name => "test-fire-recorder";

    public IReadOnlyList<RecordedFire> Fires => [.. _fires];

    public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        _fires.Enqueue(new RecordedFire(context.Scheduler.SchedulerInstanceId, context.JobDetail.Key, context.Trigger.Key,
            context.ScheduledFireTimeUtc, context.FireInstanceId));
        return ValueTask.CompletedTask;
    }

    public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken)
        => ValueTask.CompletedTask;

    public ValueTask JobProgressChanged(IJobExecutionContext context, Quartz.Extensibility.FireInstanceProgress progress, CancellationToken cancellationToken)
        => ValueTask.CompletedTask;
}
