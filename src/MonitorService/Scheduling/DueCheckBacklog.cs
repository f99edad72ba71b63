using Npgsql;

namespace MonitorService.Scheduling;

/// <summary>
/// Whether checks are overdue anywhere in the cluster: a recurring or one-off trigger still waiting although its time
/// passed more than <see cref="Late"/> ago. One indexed lookup (Quartz's index on state and next fire time).
/// </summary>
public sealed class DueCheckBacklog(QuartzStore store, TimeProvider clock)
{
    /// <summary>How late a waiting trigger must be to count: a firing normally starts within a few milliseconds.</summary>
    public static readonly TimeSpan Late = TimeSpan.FromSeconds(1);

    public async Task<bool> AnyOverdueAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SELECT EXISTS (SELECT 1 FROM {QuartzSchema.TablePrefix}triggers
                           WHERE sched_name = @sched AND trigger_state = 'WAITING' AND next_fire_time < @before)
            """, connection);
        command.Parameters.AddWithValue("sched", store.SchedulerName);
        command.Parameters.AddWithValue("before", QuartzStore.ToTicks(clock.GetUtcNow() - Late));
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
