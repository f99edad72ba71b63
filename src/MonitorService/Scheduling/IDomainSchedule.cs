namespace MonitorService.Scheduling;

/// <summary>A domain as the scheduler sees it.</summary>
public sealed record DomainScheduleEntry(Guid DomainId, TimeSpan Interval, bool Enabled);

/// <summary>The registered domains' schedules, read from the store (for reconciliation at start).</summary>
public interface IDomainScheduleSource
{
    Task<IReadOnlyList<DomainScheduleEntry>> ListAsync(CancellationToken cancellationToken);
}

/// <summary>Keeps each domain's check schedule in the clustered scheduler in step with the domain's settings.</summary>
public interface IDomainSchedule
{
    /// <summary>Creates or updates the domain's recurring check (removes it when disabled). Idempotent.</summary>
    Task ScheduleAsync(DomainScheduleEntry entry, CancellationToken cancellationToken);

    Task UnscheduleAsync(Guid domainId, CancellationToken cancellationToken);

    /// <summary>Runs the domain's check as soon as a node is free ("check now").</summary>
    Task TriggerNowAsync(Guid domainId, CancellationToken cancellationToken);

    /// <summary>One extra check at <paramref name="at"/> after a transient failure, unless the next regular one comes first.</summary>
    Task ScheduleRetryAsync(Guid domainId, DateTimeOffset at, CancellationToken cancellationToken);

    Task<DateTimeOffset?> NextCheckAsync(Guid domainId, CancellationToken cancellationToken);
}
