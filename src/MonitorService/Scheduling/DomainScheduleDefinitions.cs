using Quartz;

namespace MonitorService.Scheduling;

/// <summary>
/// The Quartz job and triggers of one domain's checks, built in one place for every schedule made through Quartz
/// (<see cref="QuartzDomainSchedule"/>). <see cref="ScheduleRowWriter"/> writes the same rows in bulk from the job
/// <see cref="Job"/> builds and the same fire-time rules; ScheduleRowWriterTests pins the two equal column by column.
/// </summary>
public static class DomainScheduleDefinitions
{
    /// <summary>The domain's durable job: it outlives its one-off triggers and waits for the next.</summary>
    public static IJobDetail Job(Guid domainId)
        => JobBuilder.Create<CheckDomainJob>()
            .WithIdentity(ScheduleKeys.Job(domainId))
            .WithDescription("MTA-STS check of one domain")
            .StoreDurably(true)
            // A check cut short by a node that died is run again by another node (clustered recovery).
            .RequestRecovery(true)
            .UsingJobData(ScheduleKeys.DomainIdKey, domainId.ToString("D"))
            .Build();

    /// <summary>
    /// The recurring check, first at the domain's first grid point after <paramref name="after"/> (<see cref="ScheduleGrid"/>).
    /// A missed firing runs once as soon as possible (<see cref="SimpleTriggerMisfireInstruction.FireNow"/>), never as a burst.
    /// </summary>
    public static ITrigger Recurring(Guid domainId, TimeSpan interval, double jitterFraction, DateTimeOffset after)
        => TriggerBuilder.Create()
            .WithIdentity(ScheduleKeys.Schedule(domainId))
            .ForJob(ScheduleKeys.Job(domainId))
            .StartAt(ScheduleGrid.NextAfter(domainId, interval, jitterFraction, after))
            .WithSchedule(SimpleScheduleBuilder.Create()
                .WithInterval(interval)
                .RepeatForever()
                .WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();

    /// <summary>
    /// What a new domain's first regular check comes after: now, or for a never-checked domain (whose first check runs now)
    /// half an interval from now, so the first check and the first regular one are not run back to back. (Bulk-created
    /// domains' first checks all come due at once and may start late; a regular check right behind them would then run
    /// late too, and the next one on time, for two or three checks within one interval.)
    /// </summary>
    public static DateTimeOffset FirstRegularCheckAfter(DomainScheduleEntry entry, DateTimeOffset now)
        => entry.NeverChecked ? now + entry.Interval / 2 : now;

    /// <summary>A single check at <paramref name="at"/> ("check now", a first check or a retry, by <paramref name="key"/>'s group).</summary>
    public static ITrigger OneOff(TriggerKey key, Guid domainId, DateTimeOffset at)
        => TriggerBuilder.Create()
            .WithIdentity(key)
            .ForJob(ScheduleKeys.Job(domainId))
            .StartAt(at)
            .WithSchedule(SimpleScheduleBuilder.Create().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
            .Build();
}
