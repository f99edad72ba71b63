using Quartz;

namespace MonitorService.Scheduling;

/// <summary>What the store holds of one domain's schedule: whether its job exists, and its recurring trigger if it has one.</summary>
public sealed record StoredSchedule(bool HasJob, ITrigger? Recurring);

/// <summary>
/// Reads many domains' stored schedules at once, through Quartz's batch reads: <see cref="IScheduler.GetTriggers"/>
/// (one statement per 200 keys, recurring triggers joined with their repeat interval) and, for the domains without
/// a recurring trigger only, <see cref="IScheduler.GetJobDetails"/>. No lock is taken: what is read may change before
/// it is acted on, which the writer allows for (a batch that finds a key taken falls back to one domain at a time).
/// </summary>
public static class StoredScheduleReader
{
    /// <summary>The stored schedules of <paramref name="domainIds"/>; a domain with neither job nor trigger is absent.</summary>
    public static async Task<IReadOnlyDictionary<Guid, StoredSchedule>> ReadAsync(
        IScheduler scheduler, IReadOnlyCollection<Guid> domainIds, CancellationToken cancellationToken)
    {
        var stored = new Dictionary<Guid, StoredSchedule>(domainIds.Count);
        if (domainIds.Count == 0)
        {
            return stored;
        }
        var triggers = await scheduler.GetTriggers([.. domainIds.Select(ScheduleKeys.Schedule)], cancellationToken);
        foreach (var trigger in triggers)
        {
            if (ScheduleKeys.TryParseDomainId(trigger.Key.Name, out var domainId))
            {
                // A trigger is stored only with its job (the store's foreign key), so the job exists.
                stored[domainId] = new StoredSchedule(HasJob: true, trigger);
            }
        }
        JobKey[] withoutTrigger = [.. domainIds.Where(id => !stored.ContainsKey(id)).Select(ScheduleKeys.Job)];
        if (withoutTrigger.Length > 0)
        {
            foreach (var job in await scheduler.GetJobDetails(withoutTrigger, cancellationToken))
            {
                if (ScheduleKeys.TryParseDomainId(job.Key.Name, out var domainId))
                {
                    stored[domainId] = new StoredSchedule(HasJob: true, Recurring: null);
                }
            }
        }
        return stored;
    }
}
