using System.Collections.Concurrent;
using Quartz;

namespace MonitorService.Tests.Scheduling;

/// <summary>One trigger a node stored: Quartz tells the storing node's scheduler listeners, and no one of a trigger it kept.</summary>
public sealed record StoredTrigger(string Node, TriggerKey Key);

/// <summary>A Quartz scheduler listener shared by every node of a test: which node stored which trigger.</summary>
public sealed class ScheduledTriggerRecorder : ISchedulerListener
{
    private readonly ConcurrentQueue<StoredTrigger> _stored = new();

    public string Name => "test-scheduled-trigger-recorder";

    public IReadOnlyList<StoredTrigger> Stored => [.. _stored];

    public ValueTask JobScheduled(IScheduler scheduler, ITrigger trigger, CancellationToken cancellationToken = default)
    {
        _stored.Enqueue(new StoredTrigger(scheduler.SchedulerInstanceId, trigger.Key));
        return ValueTask.CompletedTask;
    }
}
