namespace MonitorService.Benchmarks.Scale;

/// <summary>
/// Registers many domains directly in SQL (seconds for 100,000). Names repeat per team (<c>bench000</c>,
/// <c>bench001</c>, ...; <paramref name="perTeam"/> each), so every registered domain can be one of the synthetic
/// domains the loopback DNS serves and is checked for real.
/// </summary>
public static class DomainSeeder
{
    public static async Task SeedAsync(string connectionString, int count, int perTeam, int intervalSeconds, bool checkedBefore, bool enabled = true, string teamPrefix = "bench")
    {
        var teams = (count + perTeam - 1) / perTeam;
        await Sql.ExecuteAsync(connectionString, $"""
            INSERT INTO teams (id, name, created_at, digest_enabled)
            SELECT gen_random_uuid(), '{teamPrefix}' || lpad(t::text, 3, '0'), now(), false FROM generate_series(0, {teams - 1}) t
            ON CONFLICT (name) DO NOTHING;
            INSERT INTO domains (id, team_id, name, interval_seconds, enabled, recipients, created_at, updated_at, last_checked_at, status, consecutive_policy_failures)
            SELECT gen_random_uuid(), t.id, 'd' || lpad((n % {perTeam})::text, 4, '0') || '.example.test', {intervalSeconds}, {(enabled ? "true" : "false")}, ARRAY[]::text[], now(), now(),
                   {(checkedBefore ? "now() - interval '1 hour'" : "NULL")}, {(checkedBefore ? "'ok'" : "'pending'")}, 0
            FROM generate_series(0, {count - 1}) n
            JOIN teams t ON t.name = '{teamPrefix}' || lpad((n / {perTeam})::text, 3, '0');
            ANALYZE;
            """);
    }
}
