namespace MonitorService.Scheduling;

/// <summary>
/// Where the clustered Quartz store lives: its database and the scheduler name that keys every row. The reconciler reads
/// and bulk-creates the domains' rows there directly (<see cref="StoredScheduleReader"/>, <see cref="ScheduleRowWriter"/>);
/// everything else goes through Quartz.
/// </summary>
public sealed record QuartzStore(string ConnectionString, string SchedulerName)
{
    /// <summary>The name of Quartz's row lock that guards trigger changes; every node's firing takes it too.</summary>
    public const string TriggerAccessLock = "TRIGGER_ACCESS";

    /// <summary>Quartz stores times as UTC ticks.</summary>
    public static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);

    public static long ToTicks(DateTimeOffset time) => time.UtcTicks;
}
