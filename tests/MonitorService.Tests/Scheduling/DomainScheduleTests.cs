using MonitorService.Monitoring;
using MonitorService.Scheduling;
using MonitorService.Tests.Infrastructure;
using Quartz;
using Xunit.Abstractions;

namespace MonitorService.Tests.Scheduling;

[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class DomainScheduleTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private readonly CheckLog _log = new();
    private readonly FakeDomainScheduleSource _source = new();

    private async Task<string> DatabaseAsync(string hint)
    {
        var cs = await postgres.CreateDatabaseAsync(hint);
        Assert.True(await QuartzSchema.EnsureCreatedAsync(cs));
        Assert.False(await QuartzSchema.EnsureCreatedAsync(cs));
        return cs;
    }

    [Fact]
    public async Task Scheduled_domain_runs_repeatedly()
    {
        var cs = await DatabaseAsync("sched_repeat");
        var domain = Guid.NewGuid();
        _source.Add(new DomainScheduleEntry(domain, TimeSpan.FromSeconds(1), true));
        await using var node = await SchedulerTestHost.StartAsync(cs, "node-a", _log, _source, output);

        await _log.WaitForAsync(l => l.Of(domain).Count >= 3, TimeSpan.FromSeconds(10));
        Assert.All(_log.Of(domain), c => Assert.Equal(CheckTrigger.Scheduled, c.Trigger));
        Assert.NotNull(await node.Schedule.NextCheckAsync(domain, CancellationToken.None));
    }

    [Fact]
    public async Task TriggerNow_runs_once_promptly()
    {
        var cs = await DatabaseAsync("sched_now");
        var domain = Guid.NewGuid();
        _source.Add(new DomainScheduleEntry(domain, TimeSpan.FromDays(1), true));
        await using var node = await SchedulerTestHost.StartAsync(cs, "node-a", _log, _source, output);

        var asked = DateTimeOffset.UtcNow;
        await node.Schedule.TriggerNowAsync(domain, CancellationToken.None);
        await _log.WaitForAsync(l => l.Of(domain).Count >= 1, TimeSpan.FromSeconds(5));
        var check = Assert.Single(_log.Of(domain));
        Assert.Equal(CheckTrigger.Manual, check.Trigger);
        Assert.True(check.Started - asked < TimeSpan.FromSeconds(3), $"started {check.Started - asked} after the request");

        await Task.Delay(1500);
        Assert.Single(_log.Of(domain));
        // the one-off is gone, the regular schedule stays
        var scheduler = await node.SchedulerAsync();
        Assert.Null(await scheduler.GetTrigger(ScheduleKeys.Manual(domain), CancellationToken.None));
        Assert.NotNull(await scheduler.GetTrigger(ScheduleKeys.Schedule(domain), CancellationToken.None));
    }

    [Fact]
    public async Task Schedule_survives_a_restart_with_the_same_fire_times()
    {
        var cs = await DatabaseAsync("sched_restart");
        var domain = Guid.NewGuid();
        var interval = TimeSpan.FromSeconds(3);
        _source.Add(new DomainScheduleEntry(domain, interval, true));

        ITrigger before;
        await using (var first = await SchedulerTestHost.StartAsync(cs, "node-a", _log, _source, output))
        {
            before = (await (await first.SchedulerAsync()).GetTrigger(ScheduleKeys.Schedule(domain), CancellationToken.None))!;
            await first.StopAsync();
        }
        var checksBefore = _log.Of(domain).Count;

        await using var second = await SchedulerTestHost.StartAsync(cs, "node-b", _log, _source, output);
        var after = (await (await second.SchedulerAsync()).GetTrigger(ScheduleKeys.Schedule(domain), CancellationToken.None))!;
        Assert.Equal(before.StartTimeUtc, after.StartTimeUtc);
        Assert.NotNull(after.NextFireTimeUtc);
        // same grid: the next fire time is the one before, or a whole number of intervals later
        var shift = after.NextFireTimeUtc!.Value - before.NextFireTimeUtc!.Value;
        Assert.True(shift >= TimeSpan.Zero && shift.Ticks % interval.Ticks == 0, $"shifted by {shift}");

        await _log.WaitForAsync(l => l.Of(domain).Any(c => c.Node == "node-b"), TimeSpan.FromSeconds(8));
        Assert.True(_log.Of(domain).Count > checksBefore);
    }

    [Fact]
    public async Task Reconciler_removes_domains_no_longer_in_the_source_and_updates_intervals()
    {
        var cs = await DatabaseAsync("sched_reconcile");
        var kept = Guid.NewGuid();
        var deleted = Guid.NewGuid();
        var disabled = Guid.NewGuid();
        _source.Add(new(kept, TimeSpan.FromHours(1), true)).Add(new(deleted, TimeSpan.FromHours(1), true)).Add(new(disabled, TimeSpan.FromHours(1), true));
        await using (var first = await SchedulerTestHost.StartAsync(cs, "node-a", _log, _source, output))
        {
            var scheduler = await first.SchedulerAsync();
            foreach (var id in new[] { kept, deleted, disabled })
            {
                Assert.True(await scheduler.Exists(ScheduleKeys.Schedule(id), CancellationToken.None));
            }
            await first.StopAsync();
        }

        _source.Entries.TryRemove(deleted, out _);
        _source.Add(new(disabled, TimeSpan.FromHours(1), false)).Add(new(kept, TimeSpan.FromHours(2), true));
        await using var second = await SchedulerTestHost.StartAsync(cs, "node-b", _log, _source, output);
        var s = await second.SchedulerAsync();
        Assert.False(await s.Exists(ScheduleKeys.Job(deleted), CancellationToken.None));
        Assert.False(await s.Exists(ScheduleKeys.Job(disabled), CancellationToken.None));
        var trigger = Assert.IsAssignableFrom<ISimpleTrigger>(await s.GetTrigger(ScheduleKeys.Schedule(kept), CancellationToken.None));
        Assert.Equal(TimeSpan.FromHours(2), trigger.RepeatInterval);
        Assert.Null(await second.Schedule.NextCheckAsync(deleted, CancellationToken.None));
    }

    [Fact]
    public async Task Retry_is_never_sooner_than_the_minimum_delay_nor_after_the_next_regular_check()
    {
        var cs = await DatabaseAsync("sched_retry");
        var interval = TimeSpan.FromHours(1);
        var now = DateTimeOffset.UtcNow;
        // a domain whose next regular check is at least 30 minutes away, so a 5-minute retry comes first
        var domain = Enumerable.Range(0, 1000).Select(_ => Guid.NewGuid())
            .First(id => ScheduleGrid.NextAfter(id, interval, 1.0, now) > now.AddMinutes(30));
        _source.Add(new(domain, interval, true));
        _log.RetryAt[domain] = DateTimeOffset.UtcNow.AddSeconds(1);
        await using var node = await SchedulerTestHost.StartAsync(cs, "node-a", _log, _source, output);
        var scheduler = await node.SchedulerAsync();

        // the runner asks for a retry in a second: it is scheduled, but only after the 5 minutes
        await node.Schedule.TriggerNowAsync(domain, CancellationToken.None);
        await _log.WaitForAsync(l => l.Of(domain).Count >= 1, TimeSpan.FromSeconds(5));
        var retry = await WaitForTriggerAsync(scheduler, ScheduleKeys.Retry(domain));
        Assert.True(retry.NextFireTimeUtc >= _log.Of(domain)[0].Started + TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1),
            $"retry at {retry.NextFireTimeUtc:o}");
        Assert.Equal(retry.NextFireTimeUtc, await node.Schedule.NextCheckAsync(domain, CancellationToken.None));
        // the dashboard's read for a page of domains: the same earliest trigger; a domain without a schedule is absent
        var page = await node.Schedule.NextChecksAsync([domain, Guid.NewGuid()], CancellationToken.None);
        Assert.Equal(retry.NextFireTimeUtc, Assert.Single(page, p => p.Key == domain).Value);
        Assert.Single(page);

        // asking again for later keeps the earlier retry
        await node.Schedule.ScheduleRetryAsync(domain, DateTimeOffset.UtcNow.AddMinutes(20), CancellationToken.None);
        Assert.Equal(retry.NextFireTimeUtc, (await scheduler.GetTrigger(ScheduleKeys.Retry(domain), CancellationToken.None))!.NextFireTimeUtc);

        // a retry after the next regular check is not scheduled
        await scheduler.UnscheduleJob(ScheduleKeys.Retry(domain), CancellationToken.None);
        var regular = (await scheduler.GetTrigger(ScheduleKeys.Schedule(domain), CancellationToken.None))!.NextFireTimeUtc!.Value;
        await node.Schedule.ScheduleRetryAsync(domain, regular.AddMinutes(1), CancellationToken.None);
        Assert.False(await scheduler.Exists(ScheduleKeys.Retry(domain), CancellationToken.None));
        Assert.Equal(CheckTrigger.Manual, Assert.Single(_log.Of(domain)).Trigger);
    }

    [Fact]
    public async Task A_deleted_domain_loses_its_schedule_when_its_check_runs()
    {
        var cs = await DatabaseAsync("sched_gone");
        var domain = Guid.NewGuid();
        _source.Add(new(domain, TimeSpan.FromHours(1), true));
        _log.Gone[domain] = true;
        await using var node = await SchedulerTestHost.StartAsync(cs, "node-a", _log, _source, output);
        await node.Schedule.TriggerNowAsync(domain, CancellationToken.None);
        await _log.WaitForAsync(l => l.Of(domain).Count >= 1, TimeSpan.FromSeconds(5));

        var scheduler = await node.SchedulerAsync();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (await scheduler.Exists(ScheduleKeys.Job(domain), CancellationToken.None) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.False(await scheduler.Exists(ScheduleKeys.Job(domain), CancellationToken.None));
        Assert.Null(await node.Schedule.NextCheckAsync(domain, CancellationToken.None));
    }

    [Fact]
    public async Task Missed_checks_run_once_after_downtime_and_the_schedule_returns_to_its_grid()
    {
        var cs = await DatabaseAsync("sched_misfire");
        var domain = Guid.NewGuid();
        var interval = TimeSpan.FromSeconds(2);
        _source.Add(new DomainScheduleEntry(domain, interval, true));
        await using (var first = await SchedulerTestHost.StartAsync(cs, "node-a", _log, _source, output))
        {
            await first.StopAsync();
        }
        // down for longer than the misfire threshold (5 s in these hosts): three or four fire times are missed
        await Task.Delay(TimeSpan.FromSeconds(7.5));
        var restarted = DateTimeOffset.UtcNow;
        await using var second = await SchedulerTestHost.StartAsync(cs, "node-a", _log, _source, output);
        await _log.WaitForAsync(l => l.Of(domain).Count >= 1, TimeSpan.FromSeconds(5));
        await Task.Delay(TimeSpan.FromSeconds(3));

        var runs = _log.Of(domain).Where(c => c.Started >= restarted).OrderBy(c => c.Started).ToList();
        // no burst: the catch-up is one check, the next ones follow the interval
        Assert.True(runs.Count(c => c.Started < runs[0].Started + TimeSpan.FromSeconds(1)) == 1, string.Join("; ", runs));
        var next = await second.Schedule.NextCheckAsync(domain, CancellationToken.None);
        Assert.True(ScheduleGrid.IsOnGrid(domain, interval, 1.0, next!.Value), $"next {next:o} is off the grid");
    }

    private static async Task<ITrigger> WaitForTriggerAsync(IScheduler scheduler, TriggerKey key)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (true)
        {
            if (await scheduler.GetTrigger(key, CancellationToken.None) is { } trigger)
            {
                return trigger;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no trigger {key}");
            await Task.Delay(50);
        }
    }
}
