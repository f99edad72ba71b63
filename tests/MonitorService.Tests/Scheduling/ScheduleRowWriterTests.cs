using Microsoft.Extensions.DependencyInjection;
using MonitorService.Monitoring;
using MonitorService.Scheduling;
using MonitorService.Tests.Infrastructure;
using Npgsql;
using Quartz;
using Xunit.Abstractions;

namespace MonitorService.Tests.Scheduling;

/// <summary>
/// The reconciler writes new domains' schedules into Quartz's tables itself (<see cref="ScheduleRowWriter"/>): the rows must be
/// exactly those Quartz writes, Quartz must read them back as the same job and triggers, and they must fire.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class ScheduleRowWriterTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly CheckLog _log = new();
    private readonly FakeDomainScheduleSource _source = new();

    [Fact]
    public async Task Rows_written_in_bulk_equal_the_rows_Quartz_writes_for_the_same_schedule_in_every_column()
    {
        var cs = await DatabaseAsync("sched_rows_equal");
        await using var node = await StartAsync(cs);
        var scheduler = await node.SchedulerAsync();
        await StandbyAsync(scheduler);
        var interval = TimeSpan.FromHours(6);
        var byQuartz = Guid.NewGuid();
        var bySql = Guid.NewGuid();

        var created = await node.Services.GetRequiredService<DomainScheduleBatch>()
            .CreateAsync([new DomainScheduleEntry(bySql, interval, true, NeverChecked: true)], None);
        Assert.Equal([bySql], created.Created);
        // Quartz's own batch call, with the same definitions and the fire times the writer chose
        var stored = await ReadTriggersAsync(cs, bySql);
        var regularAt = QuartzStore.FromTicks((long)stored[ScheduleKeys.ScheduleGroup]["next_fire_time"]!);
        var firstAt = QuartzStore.FromTicks((long)stored[ScheduleKeys.ManualGroup]["next_fire_time"]!);
        var recurring = DomainScheduleDefinitions.Recurring(byQuartz, interval, 0, regularAt - TimeSpan.FromMilliseconds(1));
        await scheduler.ScheduleJobs(new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>>
        {
            [DomainScheduleDefinitions.Job(byQuartz)] = [recurring, DomainScheduleDefinitions.OneOff(ScheduleKeys.Manual(byQuartz), byQuartz, firstAt)],
        }, new ScheduleJobOptions { Replace = false }, None);

        Assert.Equal(Normalise(await ReadJobAsync(cs, byQuartz), byQuartz), Normalise(await ReadJobAsync(cs, bySql), bySql));
        var quartzTriggers = await ReadTriggersAsync(cs, byQuartz);
        Assert.Equal([ScheduleKeys.ManualGroup, ScheduleKeys.ScheduleGroup], stored.Keys.Order());
        foreach (var group in stored.Keys)
        {
            Assert.Equal(Normalise(quartzTriggers[group], byQuartz), Normalise(stored[group], bySql));
        }

        // and Quartz reads them back as what the definitions describe
        var job = await scheduler.GetJobDetail(ScheduleKeys.Job(bySql), None);
        Assert.NotNull(job);
        Assert.Equal(typeof(CheckDomainJob), job.JobType.Type);
        Assert.Equal(bySql.ToString("D"), job.JobDataMap.GetString(ScheduleKeys.DomainIdKey));
        var trigger = Assert.IsAssignableFrom<ISimpleTrigger>(await scheduler.GetTrigger(ScheduleKeys.Schedule(bySql), None));
        Assert.Equal(interval, trigger.RepeatInterval);
        Assert.Equal((int)SimpleTriggerMisfireInstruction.FireNow, trigger.MisfireInstructionCode);
        Assert.Equal(TriggerState.Normal, await scheduler.GetTriggerState(ScheduleKeys.Manual(bySql), None));
    }

    [Fact]
    public async Task A_first_check_written_behind_Quartz_s_back_runs_at_once_on_an_idle_node()
    {
        var cs = await DatabaseAsync("sched_rows_wake");
        await using var node = await StartAsync(cs);
        // Idle: nothing is scheduled, so the scheduler thread sleeps for its idle wait (about 30 s) unless woken.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var domain = Guid.NewGuid();
        var asked = DateTimeOffset.UtcNow;

        await node.Services.GetRequiredService<DomainScheduleBatch>().CreateAsync([new DomainScheduleEntry(domain, TimeSpan.FromDays(1), true, NeverChecked: true)], None);

        await _log.WaitForAsync(l => l.Of(domain).Count >= 1, TimeSpan.FromSeconds(40));
        var check = Assert.Single(_log.Of(domain));
        Assert.Equal(CheckTrigger.Manual, check.Trigger);
        Assert.True(check.Started - asked < TimeSpan.FromSeconds(5), $"started {check.Started - asked} after the domain was added");
    }

    [Fact]
    public async Task Nothing_is_written_behind_Quartz_s_back_while_a_group_is_paused()
    {
        var cs = await DatabaseAsync("sched_rows_paused");
        await using var node = await StartAsync(cs);
        var scheduler = await node.SchedulerAsync();
        await scheduler.PauseTriggerGroups(GroupMatcher<TriggerKey>.GroupEquals(ScheduleKeys.ManualGroup), None);
        var entry = new DomainScheduleEntry(Guid.NewGuid(), TimeSpan.FromHours(1), true, NeverChecked: true);

        var created = await node.Services.GetRequiredService<DomainScheduleBatch>().CreateAsync([entry], None);

        Assert.Empty(created.Created);
        Assert.Equal([entry], created.AlreadyStored);
        // the one-at-a-time path goes through Quartz, which applies the pause to the first check
        Assert.True(await node.Schedule.ScheduleAsync(entry, None));
        Assert.Equal(TriggerState.Paused, await scheduler.GetTriggerState(ScheduleKeys.Manual(entry.DomainId), None));
        Assert.Equal(TriggerState.Normal, await scheduler.GetTriggerState(ScheduleKeys.Schedule(entry.DomainId), None));
    }

    [Fact]
    public async Task The_backlog_probe_sees_a_check_waiting_past_its_time_and_nothing_when_all_are_ahead()
    {
        var cs = await DatabaseAsync("sched_rows_backlog");
        await using var node = await StartAsync(cs);
        var scheduler = await node.SchedulerAsync();
        // In standby nothing fires, so a trigger whose time passed stays waiting: a backlog.
        await StandbyAsync(scheduler);
        var backlog = node.Services.GetRequiredService<DueCheckBacklog>();
        var ahead = Guid.NewGuid();
        await node.Services.GetRequiredService<DomainScheduleBatch>().CreateAsync([new DomainScheduleEntry(ahead, TimeSpan.FromHours(1), true)], None);

        Assert.False(await backlog.AnyOverdueAsync(None));

        var late = Guid.NewGuid();
        await scheduler.ScheduleJob(DomainScheduleDefinitions.Job(late),
            DomainScheduleDefinitions.OneOff(ScheduleKeys.Manual(late), late, DateTimeOffset.UtcNow.AddSeconds(-5)), new ScheduleJobOptions { Replace = false }, None);

        Assert.True(await backlog.AnyOverdueAsync(None));
    }

    /// <summary>
    /// Standby parks Quartz's scheduler thread only at the top of its loop: a cycle already past that point may still
    /// acquire (and fire) a first check written in the next moment — it waits for the trigger lock the writer holds, then
    /// sees the row (seen in CI: the trigger was Executing). One idle wait (1 s) and its query later the thread is parked.
    /// </summary>
    private static async Task StandbyAsync(IScheduler scheduler)
    {
        await scheduler.Standby(None);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
    }

    private async Task<SchedulerTestHost> StartAsync(string cs)
        => await SchedulerTestHost.StartAsync(cs, "node-a", _log, _source, output, configure: o => o.ReconcileInterval = TimeSpan.FromHours(1));

    private async Task<string> DatabaseAsync(string hint)
    {
        var cs = await postgres.CreateDatabaseAsync(hint);
        await QuartzSchema.EnsureCreatedAsync(cs);
        return cs;
    }

    /// <summary>The row with the domain's id taken out of names and job data, so two domains' rows compare.</summary>
    private static string Normalise(Dictionary<string, object?> row, Guid domainId)
        => string.Join("\n", row.OrderBy(c => c.Key, StringComparer.Ordinal).Where(c => c.Key is not ("next_fire_time" or "start_time")).Select(c =>
            $"{c.Key}={Text(c.Value).Replace(domainId.ToString("D"), "{id}", StringComparison.Ordinal)}"));

    private static string Text(object? value) => value switch
    {
        null => "NULL",
        byte[] bytes => System.Text.Encoding.UTF8.GetString(bytes),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
    };

    private static async Task<Dictionary<string, object?>> ReadJobAsync(string cs, Guid domainId)
        => Assert.Single(await ReadRowsAsync(cs, "SELECT * FROM qrtz_job_details WHERE job_name = @name", domainId));

    /// <summary>Each trigger of the domain by group, its qrtz_triggers and qrtz_simple_triggers columns together.</summary>
    private static async Task<Dictionary<string, Dictionary<string, object?>>> ReadTriggersAsync(string cs, Guid domainId)
    {
        var rows = await ReadRowsAsync(cs, """
            SELECT t.*, s.repeat_count, s.repeat_interval, s.times_triggered
            FROM qrtz_triggers t JOIN qrtz_simple_triggers s USING (sched_name, trigger_name, trigger_group)
            WHERE t.job_name = @name
            """, domainId);
        return rows.ToDictionary(r => (string)r["trigger_group"]!);
    }

    private static async Task<List<Dictionary<string, object?>>> ReadRowsAsync(string cs, string sql, Guid domainId)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("name", ScheduleKeys.Name(domainId));
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>();
            for (var i = 0; i < reader.FieldCount; i++)
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }
}
