namespace MonitorService.Benchmarks.Scale;

/// <summary>
/// Database-wide write counters at one moment: rows inserted, updated and updated without index writes (HOT) (pg_stat_user_tables), WAL position, and
/// the total size of the application's tables with indexes and TOAST.
/// </summary>
public sealed record WriteStats(long Inserted, long Updated, long HotUpdated, long SnapshotRows, long ObservationRows, long WalBytes, long TableBytes)
{
    public static async Task<WriteStats> ReadAsync(string connectionString)
    {
        // Idle backends report their counters only every 10 s; closing them reports at once.
        Npgsql.NpgsqlConnection.ClearAllPools();
        await Task.Delay(TimeSpan.FromSeconds(1));
        return new WriteStats(
            await Sql.ScalarAsync(connectionString, "SELECT coalesce(sum(n_tup_ins),0) FROM pg_stat_user_tables"),
            await Sql.ScalarAsync(connectionString, "SELECT coalesce(sum(n_tup_upd),0) FROM pg_stat_user_tables"),
            await Sql.ScalarAsync(connectionString, "SELECT coalesce(sum(n_tup_hot_upd),0) FROM pg_stat_user_tables"),
            await Sql.ScalarAsync(connectionString, "SELECT count(*) FROM snapshots"),
            await Sql.ScalarAsync(connectionString, "SELECT count(*) FROM observations"),
            await Sql.ScalarAsync(connectionString, "SELECT pg_current_wal_lsn() - '0/0'::pg_lsn"),
            await Sql.ScalarAsync(connectionString, "SELECT coalesce(sum(pg_total_relation_size(relid)),0) FROM pg_stat_user_tables"));
    }

    public static async Task<string> PerTableAsync(string connectionString, WriteStats since)
    {
        _ = since;
        await using var conn = new Npgsql.NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd > 0 ORDER BY relname", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var parts = new List<string>();
        while (await reader.ReadAsync())
            parts.Add($"{reader.GetString(0)} ins {reader.GetInt64(1)} upd {reader.GetInt64(2)} (hot {reader.GetInt64(3)})");
        return string.Join("; ", parts);
    }
}
