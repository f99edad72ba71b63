using Microsoft.Extensions.DependencyInjection;
using MonitorService.Monitoring;
using MonitorService.Scheduling;
using MonitorService.Tests.Infrastructure;
using Quartz;
using Xunit.Abstractions;
using SchedulingOptions = MonitorService.Scheduling.SchedulingOptions;

namespace MonitorService.Tests.Scheduling;

/// <summary>
/// The reconciler's batched passes on a real clustered store: new domains created in bulk, restarts that change nothing,
/// changes still handled one at a time, and two nodes racing over the same new domains.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class BatchReconcileTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly CheckLog _log = new();
    private readonly FakeDomainScheduleSource _source = new();

    [Fact]
    public async Task Full_pass_creates_one_job_and_grid_trigger_per_new_domain_a_first_check_for_each_never_checked_and_a_second_pass_changes_nothing()
    {
        await using var node = await StartAsync(await CreateDatabaseAsync("sched_batch_full"), "node-a");
        var scheduler = await node.SchedulerAsync();
        // Nothing fires: the test reads what the pass stored, first checks included.
        await scheduler.Standby(None);
        var entries = AddDomains(2000, i => TimeSpan.FromHours(1 + i % 3), neverChecked: i => i % 2 == 0);

        var started = DateTimeOffset.UtcNow;
        var first = await node.Reconciler.ReconcileAsync(None);
        var ended = DateTimeOffset.UtcNow;

        Assert.Equal(new ReconcileSummary(Scheduled: 2000, Created: 2000, FirstChecks: 1000, OneByOne: 0, Unchanged: 0, Removed: 0), first);
        var jobs = (await ReadAsync(entries.Select(e => e.DomainId), ids => scheduler.GetJobDetails([.. ids.Select(ScheduleKeys.Job)], None)))
            .ToDictionary(j => j.Key);
        var recurring = await RecurringAsync(scheduler, entries);
        var firstChecks = await FireTimesAsync(scheduler, entries.Where(e => e.NeverChecked), ScheduleKeys.Manual);
        Assert.Equal(2000, await CountJobsAsync(scheduler));
        Assert.Equal(2000, await CountTriggersAsync(scheduler, ScheduleKeys.ScheduleGroup));
        foreach (var entry in entries)
        {
            var job = jobs[ScheduleKeys.Job(entry.DomainId)];
            Assert.True(job.Durable && job.RequestsRecovery && job.ConcurrentExecutionDisallowed, $"job of {entry.DomainId}");
            Assert.Equal(typeof(CheckDomainJob), job.JobType.Type);
            Assert.Equal(entry.DomainId.ToString("D"), job.JobDataMap.GetString(ScheduleKeys.DomainIdKey));

            var trigger = recurring[entry.DomainId];
            Assert.Equal(entry.Interval, trigger.RepeatInterval);
            Assert.Equal(Quartz.Impl.Triggers.SimpleTriggerImpl.RepeatIndefinitely, trigger.RepeatCount);
            Assert.Equal((int)SimpleTriggerMisfireInstruction.FireNow, trigger.MisfireInstructionCode);
            // its first check is its first grid point after the pass began, not "now"
            Assert.True(ScheduleGrid.IsOnGrid(entry.DomainId, entry.Interval, 1.0, trigger.StartTimeUtc), $"{entry.DomainId} starts off its grid");
            // a never-checked domain's first check runs now (spaced out behind the others'), its first regular one at least
            // half an interval after that
            var after = entry.NeverChecked ? firstChecks[entry.DomainId] + entry.Interval / 2 : started;
            Assert.InRange(trigger.StartTimeUtc, after, (entry.NeverChecked ? after : ended) + entry.Interval);
            Assert.Equal(trigger.StartTimeUtc, trigger.NextFireTimeUtc);
        }
        var manual = await TriggerDomainsAsync(scheduler, ScheduleKeys.ManualGroup);
        Assert.Equal(entries.Where(e => e.NeverChecked).Select(e => e.DomainId).Order(), manual.Order());

        var second = await node.Reconciler.ReconcileAsync(None);

        Assert.Equal(new ReconcileSummary(Scheduled: 2000, Created: 0, FirstChecks: 0, OneByOne: 0, Unchanged: 2000, Removed: 0), second);
        var again = await RecurringAsync(scheduler, entries);
        Assert.All(entries, e => Assert.Equal(recurring[e.DomainId].NextFireTimeUtc, again[e.DomainId].NextFireTimeUtc));
        Assert.Equal(manual.Order(), (await TriggerDomainsAsync(scheduler, ScheduleKeys.ManualGroup)).Order());
        Assert.Equal(2000, await CountJobsAsync(scheduler));
    }

    [Fact]
    public async Task Two_nodes_running_the_full_pass_at_once_over_the_same_new_domains_start_exactly_one_first_check_each()
    {
        // Small batches: more of them, and more chances for the two nodes to collide on one. First checks not spaced out,
        // so the test sees them all run within its wait.
        var cs = await CreateDatabaseAsync("sched_batch_race");
        await using var a = await StartAsync(cs, "node-a", o => { o.ReconcileBatchSize = 100; o.FirstChecksPerSecond = 10_000; });
        await using var b = await StartAsync(cs, "node-b", o => { o.ReconcileBatchSize = 100; o.FirstChecksPerSecond = 10_000; });
        var entries = AddDomains(2000, _ => TimeSpan.FromHours(1), neverChecked: _ => true);

        var passes = await Task.WhenAll(Task.Run(() => a.Reconciler.ReconcileAsync(None)), Task.Run(() => b.Reconciler.ReconcileAsync(None)));

        output.WriteLine($"node-a: {passes[0]}");
        output.WriteLine($"node-b: {passes[1]}");
        // Each node counts only the schedules (and first checks) its own transactions stored: together, each domain once.
        Assert.Equal(2000, passes.Sum(p => p.Created));
        Assert.Equal(2000, passes.Sum(p => p.FirstChecks));
        var scheduler = await a.SchedulerAsync();
        Assert.Equal(2000, await CountJobsAsync(scheduler));
        Assert.Equal(2000, await CountTriggersAsync(scheduler, ScheduleKeys.ScheduleGroup));

        // and each domain's first check runs, once, on one of the nodes
        await _log.WaitForAsync(l => entries.All(e => l.Of(e.DomainId).Count > 0), TimeSpan.FromMinutes(2));
        Assert.All(entries, e => Assert.Equal(CheckTrigger.Manual, Assert.Single(_log.Of(e.DomainId)).Trigger));
    }

    [Fact]
    public async Task Changed_intervals_off_grid_triggers_disabled_and_deleted_domains_are_still_handled()
    {
        await using var node = await StartAsync(await CreateDatabaseAsync("sched_batch_changes"), "node-a");
        var scheduler = await node.SchedulerAsync();
        await scheduler.Standby(None);
        var hourly = TimeSpan.FromHours(1);
        var entries = AddDomains(50, _ => hourly, neverChecked: _ => false);
        Assert.Equal(50, (await node.Reconciler.ReconcileAsync(None)).Created);
        var before = await RecurringAsync(scheduler, entries);

        var unchanged = entries[..10];
        var changed = entries[10..20];
        var offGrid = entries[20..30];
        var disabled = entries[30..40];
        var deleted = entries[40..];
        foreach (var e in changed)
            _source.Add(e with { Interval = TimeSpan.FromHours(2) });
        foreach (var e in disabled)
            _source.Add(e with { Enabled = false });
        foreach (var e in deleted)
            _source.Entries.TryRemove(e.DomainId, out _);
        foreach (var e in offGrid)
        {
            // as after a misfire's catch-up run: the next check seven seconds off the domain's grid
            var off = ScheduleGrid.NextAfter(e.DomainId, hourly, 1.0, DateTimeOffset.UtcNow.AddMinutes(5)).AddSeconds(7);
            await scheduler.RescheduleJob(ScheduleKeys.Schedule(e.DomainId), TriggerBuilder.Create()
                .WithIdentity(ScheduleKeys.Schedule(e.DomainId)).ForJob(ScheduleKeys.Job(e.DomainId)).StartAt(off)
                .WithSchedule(SimpleScheduleBuilder.Create().WithInterval(hourly).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow))
                .Build(), None);
        }

        var pass = await node.Reconciler.ReconcileAsync(None);

        Assert.Equal(new ReconcileSummary(Scheduled: 30, Created: 0, FirstChecks: 0, OneByOne: 20, Unchanged: 10, Removed: 20), pass);
        var after = await RecurringAsync(scheduler, [.. unchanged, .. changed, .. offGrid]);
        Assert.All(unchanged, e => Assert.Equal(before[e.DomainId].NextFireTimeUtc, after[e.DomainId].NextFireTimeUtc));
        Assert.All(changed, e =>
        {
            Assert.Equal(TimeSpan.FromHours(2), after[e.DomainId].RepeatInterval);
            Assert.True(ScheduleGrid.IsOnGrid(e.DomainId, TimeSpan.FromHours(2), 1.0, after[e.DomainId].NextFireTimeUtc!.Value));
        });
        Assert.All(offGrid, e =>
        {
            Assert.Equal(hourly, after[e.DomainId].RepeatInterval);
            Assert.True(ScheduleGrid.IsOnGrid(e.DomainId, hourly, 1.0, after[e.DomainId].NextFireTimeUtc!.Value), $"{e.DomainId} still off its grid");
        });
        foreach (var e in disabled.Concat(deleted))
            Assert.False(await scheduler.Exists(ScheduleKeys.Job(e.DomainId), None), $"{e.DomainId} still has its job");

        // the incremental pass: new domains in bulk, disabled ones removed
        var added = AddDomains(5, _ => hourly, neverChecked: _ => true);
        foreach (var e in unchanged[..5])
            _source.Add(e with { Enabled = false });
        await node.Reconciler.ReconcileChangesAsync(None);
        Assert.Equal(added.Select(e => e.DomainId).Order(), (await TriggerDomainsAsync(scheduler, ScheduleKeys.ManualGroup)).Order());
        foreach (var e in added)
            Assert.True(await scheduler.Exists(ScheduleKeys.Schedule(e.DomainId), None));
        foreach (var e in unchanged[..5])
            Assert.False(await scheduler.Exists(ScheduleKeys.Job(e.DomainId), None));
        Assert.Equal(30 - 5 + 5, await CountJobsAsync(scheduler));
    }

    [Fact]
    public async Task A_batch_that_finds_a_domain_already_stored_creates_the_others_and_leaves_that_one_as_it_was()
    {
        await using var node = await StartAsync(await CreateDatabaseAsync("sched_batch_conflict"), "node-a");
        var scheduler = await node.SchedulerAsync();
        await scheduler.Standby(None);
        var hourly = TimeSpan.FromHours(1);
        var existing = new DomainScheduleEntry(Guid.NewGuid(), hourly, true, NeverChecked: true);
        // as another node (or an older version) would have stored it, through Quartz
        await scheduler.ScheduleJob(DomainScheduleDefinitions.Job(existing.DomainId),
            DomainScheduleDefinitions.Recurring(existing.DomainId, hourly, 1.0, DateTimeOffset.UtcNow), new ScheduleJobOptions { Replace = false }, None);
        var existingTrigger = await scheduler.GetTrigger(ScheduleKeys.Schedule(existing.DomainId), None);
        List<DomainScheduleEntry> fresh = [.. Enumerable.Range(0, 20).Select(_ => new DomainScheduleEntry(Guid.NewGuid(), hourly, true, NeverChecked: true))];
        var batch = node.Services.GetRequiredService<DomainScheduleBatch>();

        var created = await batch.CreateAsync([.. fresh, existing], None);

        Assert.Equal(fresh.Select(e => e.DomainId).Order(), created.Created.Order());
        Assert.Equal([existing], created.AlreadyStored);
        Assert.Equal(20, created.FirstChecks);
        Assert.Equal(fresh.Select(e => e.DomainId).Order(), (await TriggerDomainsAsync(scheduler, ScheduleKeys.ManualGroup)).Order());
        Assert.Equal(existingTrigger!.NextFireTimeUtc, (await scheduler.GetTrigger(ScheduleKeys.Schedule(existing.DomainId), None))!.NextFireTimeUtc);

        var again = await batch.ApplyAsync([.. fresh, existing], None);

        Assert.Equal((0, 0, 21), (again.Created, again.FirstChecks, again.Unchanged));
        Assert.Empty(again.OneByOne);
    }

    [Fact]
    public async Task First_checks_of_many_new_domains_are_spaced_out_and_check_now_is_not_held_back_by_them()
    {
        await using var node = await StartAsync(await CreateDatabaseAsync("sched_batch_pacing"), "node-a", o => o.FirstChecksPerSecond = 5);
        var scheduler = await node.SchedulerAsync();
        await scheduler.Standby(None);
        var entries = AddDomains(50, _ => TimeSpan.FromHours(1), neverChecked: _ => true);

        var started = DateTimeOffset.UtcNow;
        var pass = await node.Reconciler.ReconcileAsync(None);

        Assert.Equal(50, pass.FirstChecks);
        var firstChecks = await FireTimesAsync(scheduler, entries, ScheduleKeys.Manual);
        var times = firstChecks.Values.Order().ToList();
        // the first at once, then one every 200 ms (5 a second): the last ten seconds later, not all at once
        Assert.InRange(times[0], started.AddSeconds(-1), started.AddSeconds(5));
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.Equal(TimeSpan.FromMilliseconds(200), pair.Second - pair.First));
        // each domain's first regular check comes half an interval after its own first check
        var regular = await FireTimesAsync(scheduler, entries, ScheduleKeys.Schedule);
        Assert.All(entries, e => Assert.True(regular[e.DomainId] >= firstChecks[e.DomainId] + TimeSpan.FromMinutes(30), $"{e.DomainId}"));

        // "check now" on the domain whose first check comes last: now, not ten seconds from now
        var last = firstChecks.MaxBy(kv => kv.Value).Key;
        await node.Schedule.TriggerNowAsync(last, None);
        Assert.InRange((await FireTimesAsync(scheduler, [entries.Single(e => e.DomainId == last)], ScheduleKeys.Manual))[last],
            started, DateTimeOffset.UtcNow.AddSeconds(1));
    }

    private async Task<SchedulerTestHost> StartAsync(string connectionString, string node, Action<SchedulingOptions>? configure = null)
        => await SchedulerTestHost.StartAsync(connectionString, node, _log, _source, output,
            configure: o =>
            {
                // The tests run the passes themselves: no periodic pass in between.
                o.ReconcileInterval = TimeSpan.FromHours(1);
                configure?.Invoke(o);
            });

    private async Task<string> CreateDatabaseAsync(string hint)
    {
        var cs = await postgres.CreateDatabaseAsync(hint);
        await QuartzSchema.EnsureCreatedAsync(cs);
        return cs;
    }

    /// <summary>
    /// New domains whose first regular check is at least half an hour away, so none fires while a test runs: what a test
    /// sees stored, and every check it sees, comes from the pass it ran.
    /// </summary>
    private List<DomainScheduleEntry> AddDomains(int count, Func<int, TimeSpan> interval, Func<int, bool> neverChecked)
    {
        var quiet = DateTimeOffset.UtcNow.AddMinutes(30);
        var entries = new List<DomainScheduleEntry>(count);
        for (var i = 0; i < count; i++)
        {
            var every = interval(i);
            Guid id;
            do
                id = Guid.NewGuid();
            while (ScheduleGrid.NextAfter(id, every, 1.0, DateTimeOffset.UtcNow) < quiet);
            entries.Add(new DomainScheduleEntry(id, every, true, neverChecked(i)));
        }
        foreach (var entry in entries)
            _source.Add(entry);
        return entries;
    }

    private static async Task<Dictionary<Guid, ISimpleTrigger>> RecurringAsync(IScheduler scheduler, IEnumerable<DomainScheduleEntry> entries)
    {
        var triggers = await ReadAsync(entries.Select(e => e.DomainId), ids => scheduler.GetTriggers([.. ids.Select(ScheduleKeys.Schedule)], None));
        return triggers.Cast<ISimpleTrigger>().ToDictionary(t => DomainOf(t.Key.Name));
    }

    private static async Task<Dictionary<Guid, DateTimeOffset>> FireTimesAsync(
        IScheduler scheduler, IEnumerable<DomainScheduleEntry> entries, Func<Guid, TriggerKey> key)
    {
        var triggers = await ReadAsync(entries.Select(e => e.DomainId), ids => scheduler.GetTriggers([.. ids.Select(key)], None));
        return triggers.ToDictionary(t => DomainOf(t.Key.Name), t => t.NextFireTimeUtc!.Value);
    }

    private static async Task<List<T>> ReadAsync<T>(IEnumerable<Guid> ids, Func<Guid[], ValueTask<List<T>>> read)
    {
        var all = new List<T>();
        foreach (var chunk in ids.Chunk(500))
            all.AddRange(await read(chunk));
        return all;
    }

    private static async Task<List<Guid>> TriggerDomainsAsync(IScheduler scheduler, string group)
    {
        var page = await scheduler.QueryTriggers(new TriggerQuery { Group = GroupMatcher<TriggerKey>.GroupEquals(group), Take = PagedQuery.All }, None);
        return [.. page.Items.Select(t => DomainOf(t.Key.Name))];
    }

    private static Guid DomainOf(string name)
        => ScheduleKeys.TryParseDomainId(name, out var domainId) ? domainId : throw new InvalidOperationException($"{name} names no domain");

    private static async Task<int> CountTriggersAsync(IScheduler scheduler, string group)
        => (await scheduler.QueryTriggers(new TriggerQuery { Group = GroupMatcher<TriggerKey>.GroupEquals(group), Take = 0, IncludeTotalCount = true }, None)).TotalCount
            ?? throw new InvalidOperationException("no total count");

    private static async Task<int> CountJobsAsync(IScheduler scheduler)
        => (await scheduler.QueryJobs(new JobQuery { Group = GroupMatcher<JobKey>.GroupEquals(ScheduleKeys.JobGroup), Take = 0, IncludeTotalCount = true }, None)).TotalCount
            ?? throw new InvalidOperationException("no total count");
}
