using MonitorService.Scheduling;

namespace MonitorService.Tests.Scheduling;

/// <summary>The batched reconcile's decisions, without a database: what is created in bulk, left alone, or done one at a time.</summary>
public sealed class ReconcilePlanTests
{
    private static readonly TimeSpan Hourly = TimeSpan.FromHours(1);
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Domains_with_nothing_stored_are_created_in_bulk()
    {
        var fresh = new DomainScheduleEntry(Guid.NewGuid(), Hourly, true, NeverChecked: true);
        var plan = ReconcilePlan.For([fresh], new Dictionary<Guid, StoredSchedule>(), Now, 1.0);
        Assert.Equal([fresh], plan.Create);
        Assert.Empty(plan.OneByOne);
        Assert.Equal(0, plan.Unchanged);
    }

    [Fact]
    public void A_trigger_on_the_grid_with_the_same_interval_is_left_alone_and_a_due_one_too()
    {
        var onGrid = Guid.NewGuid();
        var due = Guid.NewGuid();
        var stored = new Dictionary<Guid, StoredSchedule>
        {
            [onGrid] = Recurring(Hourly, ScheduleGrid.NextAfter(onGrid, Hourly, 1.0, Now)),
            // off the grid but due: its catch-up run comes first, the job realigns it afterwards
            [due] = Recurring(Hourly, Now.AddSeconds(-3)),
        };
        var plan = ReconcilePlan.For([new(onGrid, Hourly, true), new(due, Hourly, true, NeverChecked: true)], stored, Now, 1.0);
        Assert.Empty(plan.Create);
        Assert.Empty(plan.OneByOne);
        Assert.Equal(2, plan.Unchanged);
    }

    [Fact]
    public void Changed_interval_off_grid_trigger_job_without_trigger_other_trigger_kind_and_too_short_interval_go_one_by_one()
    {
        var changed = Guid.NewGuid();
        var offGrid = Guid.NewGuid();
        var jobOnly = Guid.NewGuid();
        var tooShort = Guid.NewGuid();
        var notSimple = Guid.NewGuid();
        var stored = new Dictionary<Guid, StoredSchedule>
        {
            [changed] = Recurring(Hourly, ScheduleGrid.NextAfter(changed, Hourly, 1.0, Now)),
            [offGrid] = Recurring(Hourly, ScheduleGrid.NextAfter(offGrid, Hourly, 1.0, Now).AddSeconds(7)),
            [jobOnly] = new(HasRecurring: false, null, null),
            // a recurring trigger that is not a simple one (made by hand, say): redone through Quartz
            [notSimple] = new(HasRecurring: true, SimpleInterval: null, Now.AddMinutes(5)),
        };
        DomainScheduleEntry[] entries =
        [
            new(changed, TimeSpan.FromHours(2), true),
            new(offGrid, Hourly, true),
            new(jobOnly, Hourly, true),
            new(tooShort, TimeSpan.FromMilliseconds(500), true),
            new(notSimple, Hourly, true),
        ];
        var plan = ReconcilePlan.For(entries, stored, Now, 1.0);
        Assert.Empty(plan.Create);
        Assert.Equal(entries, plan.OneByOne);
        Assert.Equal(0, plan.Unchanged);
    }

    [Fact]
    public void Disabled_domains_are_not_planned()
        => Assert.Throws<ArgumentException>(() => ReconcilePlan.For([new(Guid.NewGuid(), Hourly, false)], new Dictionary<Guid, StoredSchedule>(), Now, 1.0));

    private static StoredSchedule Recurring(TimeSpan interval, DateTimeOffset next) => new(HasRecurring: true, interval, next);
}
