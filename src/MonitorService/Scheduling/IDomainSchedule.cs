namespace MonitorService.Scheduling;

/// <summary>A domain as the scheduler sees it.</summary>
/// <param name="NeverChecked">
/// A new domain: its first check runs now (or, when many domains are added at once, spaced out by
/// <see cref="FirstCheckPacer"/>), not at its first slot; its first regular check then comes at least half an interval later.
/// </param>
public sealed record DomainScheduleEntry(Guid DomainId, TimeSpan Interval, bool Enabled, bool NeverChecked = false);

/// <summary>The registered domains' schedules, read from the store (for reconciliation).</summary>
public interface IDomainScheduleSource
{
    /// <summary>All domains, or with <paramref name="changedSince"/> only those added or changed since then.</summary>
    Task<IReadOnlyList<DomainScheduleEntry>> ListAsync(DateTimeOffset? changedSince, CancellationToken cancellationToken);
}

/// <summary>Keeps each domain's check schedule in the clustered scheduler in step with the domain's settings.</summary>
public interface IDomainSchedule
{
    /// <summary>
    /// Creates or updates the domain's recurring check (removes it when disabled). Idempotent. Returns true only to
    /// the one caller, cluster-wide, that created the schedule; for a <see cref="DomainScheduleEntry.NeverChecked"/> domain
    /// that caller also stored its first check, so exactly one node starts it.
    /// </summary>
    Task<bool> ScheduleAsync(DomainScheduleEntry entry, CancellationToken cancellationToken);

    Task UnscheduleAsync(Guid domainId, CancellationToken cancellationToken);

    /// <summary>Runs the domain's check as soon as a node is free ("check now").</summary>
    Task TriggerNowAsync(Guid domainId, CancellationToken cancellationToken);

    /// <summary>One extra check at <paramref name="at"/> after a transient failure, unless the next regular one comes first.</summary>
    Task ScheduleRetryAsync(Guid domainId, DateTimeOffset at, CancellationToken cancellationToken);

    Task<DateTimeOffset?> NextCheckAsync(Guid domainId, CancellationToken cancellationToken);

    /// <summary>The next check of each of many domains (a page of the dashboard) in one read; unscheduled ones are absent.</summary>
    Task<IReadOnlyDictionary<Guid, DateTimeOffset>> NextChecksAsync(IReadOnlyCollection<Guid> domainIds, CancellationToken cancellationToken);
}
