using MonitorService.Benchmarks.Scale;

namespace MonitorService.Benchmarks.Dashboard;

/// <summary>
/// A year of history per domain in SQL: one observation (state change) per day, each pointing at the real snapshots
/// of one checked domain, and a drift event every 30 days. Observations are state changes, so a day each is far more
/// than a real domain has.
/// </summary>
public static class HistorySeeder
{
    public static async Task SeedAsync(string connectionString, int days)
    {
        await Sql.ExecuteAsync(connectionString, $"""
        INSERT INTO observations (domain_id, first_seen_at, last_seen_at, check_count, state_hash, mx_snapshot_id, txt_snapshot_id, txt_id,
                                  policy_snapshot_id, policy_valid, policy_fetch_failed, tls_rpt_snapshot_id, certificates_snapshot_id, report_snapshot_id)
        SELECT d.id, now() - (g + 1) * interval '1 day', CASE WHEN g > 0 THEN now() - g * interval '1 day' - interval '1 hour' END,
               CASE WHEN g > 0 THEN 24 END, md5(d.id::text || g),
               o.mx_snapshot_id, o.txt_snapshot_id, o.txt_id, o.policy_snapshot_id, o.policy_valid, o.policy_fetch_failed,
               o.tls_rpt_snapshot_id, o.certificates_snapshot_id, o.report_snapshot_id
        FROM domains d CROSS JOIN generate_series(0, {days - 1}) g CROSS JOIN (SELECT * FROM observations ORDER BY id LIMIT 1) o
        WHERE d.current_observation_id IS NULL
        ORDER BY d.id, g DESC; -- oldest first: a domain's newest observation has its highest id, as when checked
        -- The newest (g = 0) is the open one: its end and count live on the domain row.
        UPDATE domains d SET current_observation_id = latest.id, status = 'ok', last_checked_at = now() - interval '1 hour',
                             current_observation_checks = 24
        FROM (SELECT DISTINCT ON (domain_id) domain_id, id FROM observations ORDER BY domain_id, id DESC) latest
        WHERE latest.domain_id = d.id AND d.current_observation_id IS NULL;
        INSERT INTO drift_events (domain_id, code, severity, subject, message, fix, detected_at, to_observation_id)
        SELECT domain_id, 'policy-changed', 'info', NULL, 'The policy changed.', NULL, first_seen_at, id
        FROM observations WHERE extract(doy FROM first_seen_at)::int % 30 = 0;
        """);
        await Sql.ExecuteAsync(connectionString, "VACUUM ANALYZE");
    }
}
