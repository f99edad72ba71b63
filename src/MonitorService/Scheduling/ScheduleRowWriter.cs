using System.Text.Json;
using Npgsql;
using Quartz;

namespace MonitorService.Scheduling;

/// <summary>What <see cref="ScheduleRowWriter.CreateAsync"/> stored.</summary>
/// <param name="Created">The domains whose job and recurring trigger it stored.</param>
/// <param name="AlreadyStored">The domains it left alone because their job was stored already (by another node, or long ago).</param>
/// <param name="FirstChecks">Of the created, the never-checked domains whose first check it stored.</param>
/// <param name="EarliestFire">The earliest fire time among the triggers it stored.</param>
public sealed record CreatedSchedules(
    IReadOnlyCollection<Guid> Created, IReadOnlyList<DomainScheduleEntry> AlreadyStored, int FirstChecks, DateTimeOffset? EarliestFire);

/// <summary>
/// Creates many domains' schedules with set-based SQL in Quartz's tables: the same rows Quartz's own
/// <see cref="IScheduler.ScheduleJobs"/> writes (pinned by <c>ScheduleRowWriterTests</c>, which compares every column with
/// a schedule Quartz made), in one transaction of five statements under the cluster's trigger lock.
/// </summary>
/// <remarks>
/// Why not Quartz: its batch call writes row by row, several statements per domain, all while holding the trigger lock that
/// every node's firing and every completed check waits for. On a busy node that lock holder is itself slowed down by the
/// checks, so a 200-domain batch held the lock for up to a second, and a fresh node's pass over 100,000 domains made the
/// checks due meanwhile start up to 30 s late. Here the lock is held for five round trips.
/// <para>
/// Exactly one node creates each schedule: jobs are inserted with ON CONFLICT DO NOTHING under the lock, and only the
/// domains whose job this transaction inserted get triggers, a first check included. A domain whose job exists is returned
/// for the one-at-a-time path. When any trigger or job group is paused (not something the service does, but an operator
/// may), nothing is written here and every domain goes the one-at-a-time path, where Quartz applies the pause.
/// </para>
/// </remarks>
public sealed class ScheduleRowWriter(QuartzStore store, FirstCheckPacer pacer, SchedulingOptions options, TimeProvider clock)
{
    private const string P = QuartzSchema.TablePrefix;
    private static readonly IJobDetail Template = DomainScheduleDefinitions.Job(Guid.Empty);

    public async Task<CreatedSchedules> CreateAsync(IReadOnlyCollection<DomainScheduleEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return new CreatedSchedules([], [], 0, null);
        }
        await using var connection = new NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockTriggerAccessAsync(connection, transaction, cancellationToken);
        if (await AnyGroupPausedAsync(connection, transaction, cancellationToken))
        {
            return new CreatedSchedules([], [.. entries], 0, null);
        }

        var created = await InsertJobsAsync(connection, transaction, entries, cancellationToken);
        var now = clock.GetUtcNow();
        var triggers = new List<TriggerRow>(created.Count * 2);
        foreach (var entry in entries.Where(e => created.Contains(e.DomainId)))
        {
            var name = ScheduleKeys.Name(entry.DomainId);
            var firstCheck = entry.NeverChecked ? pacer.Next() : (DateTimeOffset?)null;
            var regular = ScheduleGrid.NextAfter(entry.DomainId, entry.Interval, options.JitterFraction,
                DomainScheduleDefinitions.FirstRegularCheckAfter(entry, firstCheck ?? now));
            triggers.Add(new TriggerRow(name, ScheduleKeys.ScheduleGroup, regular, Quartz.Impl.Triggers.SimpleTriggerImpl.RepeatIndefinitely, (long)entry.Interval.TotalMilliseconds));
            if (firstCheck is { } at)
            {
                triggers.Add(new TriggerRow(name, ScheduleKeys.ManualGroup, at, 0, 0));
            }
        }
        await InsertTriggersAsync(connection, transaction, triggers, cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        return new CreatedSchedules(
            created,
            [.. entries.Where(e => !created.Contains(e.DomainId))],
            triggers.Count(t => t.Group == ScheduleKeys.ManualGroup),
            triggers.Count == 0 ? null : triggers.Min(t => t.FireAt));
    }

    private sealed record TriggerRow(string Name, string Group, DateTimeOffset FireAt, int RepeatCount, long RepeatIntervalMs);

    private async Task LockTriggerAccessAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        // As Quartz's own row lock does: make sure the row exists, then lock it until commit.
        await using var command = new NpgsqlCommand($"""
            INSERT INTO {P}locks (sched_name, lock_name) VALUES (@sched, @lock) ON CONFLICT DO NOTHING;
            SELECT 1 FROM {P}locks WHERE sched_name = @sched AND lock_name = @lock FOR UPDATE;
            """, connection, transaction);
        command.Parameters.AddWithValue("sched", store.SchedulerName);
        command.Parameters.AddWithValue("lock", QuartzStore.TriggerAccessLock);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<bool> AnyGroupPausedAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            SELECT EXISTS (SELECT 1 FROM {P}paused_trigger_grps WHERE sched_name = @sched)
                OR EXISTS (SELECT 1 FROM {P}paused_job_grps WHERE sched_name = @sched)
            """, connection, transaction);
        command.Parameters.AddWithValue("sched", store.SchedulerName);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<HashSet<Guid>> InsertJobsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyCollection<DomainScheduleEntry> entries, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            INSERT INTO {P}job_details (sched_name, job_name, job_group, description, job_class_name, is_durable, is_nonconcurrent, is_update_data, requests_recovery, job_data)
            SELECT @sched, n, @group, @description, @class, @durable, @nonconcurrent, @updateData, @recovery, d
            FROM unnest(@names, @data) AS x(n, d)
            ON CONFLICT DO NOTHING
            RETURNING job_name
            """, connection, transaction);
        command.Parameters.AddWithValue("sched", store.SchedulerName);
        command.Parameters.AddWithValue("group", ScheduleKeys.JobGroup);
        command.Parameters.AddWithValue("description", (object?)Template.Description ?? DBNull.Value);
        command.Parameters.AddWithValue("class", Template.JobType.FullName);
        command.Parameters.AddWithValue("durable", Template.Durable);
        command.Parameters.AddWithValue("nonconcurrent", Template.ConcurrentExecutionDisallowed);
        command.Parameters.AddWithValue("updateData", Template.PersistJobDataAfterExecution);
        command.Parameters.AddWithValue("recovery", Template.RequestsRecovery);
        command.Parameters.AddWithValue("names", entries.Select(e => ScheduleKeys.Name(e.DomainId)).ToArray());
        command.Parameters.AddWithValue("data", entries.Select(e => JobData(e.DomainId)).ToArray());
        var created = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (ScheduleKeys.TryParseDomainId(reader.GetString(0), out var domainId))
            {
                created.Add(domainId);
            }
        }
        return created;
    }

    private async Task InsertTriggersAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<TriggerRow> triggers, CancellationToken cancellationToken)
    {
        if (triggers.Count == 0)
        {
            return;
        }
        await using var command = new NpgsqlCommand($"""
            INSERT INTO {P}triggers (sched_name, trigger_name, trigger_group, job_name, job_group, next_fire_time, priority, trigger_state,
                                     trigger_type, start_time, misfire_instr, retry_attempt)
            SELECT @sched, n, g, n, @jobGroup, t, @priority, 'WAITING', 'SIMPLE', t, @misfire, 0
            FROM unnest(@names, @groups, @times) AS x(n, g, t);
            INSERT INTO {P}simple_triggers (sched_name, trigger_name, trigger_group, repeat_count, repeat_interval, times_triggered)
            SELECT @sched, n, g, c, i, 0
            FROM unnest(@names, @groups, @counts, @intervals) AS x(n, g, c, i);
            """, connection, transaction);
        command.Parameters.AddWithValue("sched", store.SchedulerName);
        command.Parameters.AddWithValue("jobGroup", ScheduleKeys.JobGroup);
        command.Parameters.AddWithValue("priority", TriggerConstants.DefaultPriority);
        command.Parameters.AddWithValue("misfire", (short)SimpleTriggerMisfireInstruction.FireNow);
        command.Parameters.AddWithValue("names", triggers.Select(t => t.Name).ToArray());
        command.Parameters.AddWithValue("groups", triggers.Select(t => t.Group).ToArray());
        command.Parameters.AddWithValue("times", triggers.Select(t => QuartzStore.ToTicks(t.FireAt)).ToArray());
        command.Parameters.AddWithValue("counts", triggers.Select(t => (long)t.RepeatCount).ToArray());
        command.Parameters.AddWithValue("intervals", triggers.Select(t => t.RepeatIntervalMs).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The job's data as Quartz's System.Text.Json serializer stores it.</summary>
    private static byte[] JobData(Guid domainId)
        => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { [ScheduleKeys.DomainIdKey] = domainId.ToString("D") });
}
