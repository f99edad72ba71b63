namespace MonitorService.Scheduling;

/// <summary>
/// What a batch of enabled domains needs, decided from what the store holds (<see cref="StoredScheduleReader"/>).
/// No I/O, so the rules are tested on their own. The rules are those of <see cref="QuartzDomainSchedule.ScheduleAsync"/>:
/// <list type="bullet">
/// <item>no job and no trigger: <see cref="Create"/> (job, recurring trigger and, for a never-checked domain, its first check, in one batch);</item>
/// <item>a recurring trigger with the same interval, on the grid or due: nothing (<see cref="Unchanged"/>), so restarts shift nothing;</item>
/// <item>anything else (another interval, off the grid, a job without its recurring trigger, an interval too short): <see cref="OneByOne"/>,
/// through <see cref="IDomainSchedule.ScheduleAsync"/>.</item>
/// </list>
/// </summary>
public sealed record ReconcilePlan(IReadOnlyList<DomainScheduleEntry> Create, IReadOnlyList<DomainScheduleEntry> OneByOne, int Unchanged)
{
    /// <param name="entries">Enabled domains only: disabled ones are removed, not planned.</param>
    /// <param name="stored">What the store holds of them; a domain absent here has nothing stored.</param>
    /// <param name="now">The time the trigger fire times are compared with.</param>
    /// <param name="jitterFraction">As in <see cref="SchedulingOptions.JitterFraction"/>: where the domains' grids lie.</param>
    public static ReconcilePlan For(
        IEnumerable<DomainScheduleEntry> entries, IReadOnlyDictionary<Guid, StoredSchedule> stored, DateTimeOffset now, double jitterFraction)
    {
        var create = new List<DomainScheduleEntry>();
        var oneByOne = new List<DomainScheduleEntry>();
        var unchanged = 0;
        foreach (var entry in entries)
        {
            if (!entry.Enabled)
            {
                throw new ArgumentException($"Domain {entry.DomainId} is disabled: its schedule is removed, not planned.", nameof(entries));
            }
            if (entry.Interval < QuartzDomainSchedule.MinimumInterval)
            {
                // Refused there, with the error it gives, as before.
                oneByOne.Add(entry);
            }
            else if (!stored.TryGetValue(entry.DomainId, out var schedule))
            {
                create.Add(entry);
            }
            else if (schedule.HasRecurring && schedule.SimpleInterval == entry.Interval
                && !QuartzDomainSchedule.NeedsRealign(entry.DomainId, entry.Interval, schedule.NextFireTime, now, jitterFraction))
            {
                unchanged++;
            }
            else
            {
                oneByOne.Add(entry);
            }
        }
        return new ReconcilePlan(create, oneByOne, unchanged);
    }
}
