using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MonitorService.Benchmarks.Infrastructure;
using MonitorService.Benchmarks.Scale;
using MonitorService.Domains;
using MonitorService.Monitoring;
using MonitorService.Testing;
using static MonitorService.Benchmarks.Infrastructure.ResultTable;

namespace MonitorService.Benchmarks.Dashboard;

/// <summary>
/// Section "senders": the domain page with its "What senders saw" card, and the TLS-RPT API, for a domain with a year of
/// daily reports from 20 organisations, in a database holding reports for <see cref="BenchOptions.DashboardDomains"/>
/// other domains. Reports are seeded with set-based SQL straight into the intake's tables. One request at a time after
/// a warm-up; p50 and p95.
/// </summary>
public sealed class SendersPageBenchmark(BenchOptions options, ResultTable table, BenchPostgres postgres)
{
    /// <summary>The measured domain's team; the other domains are in teams of their own.</summary>
    private const string Team = "senders";
    private const string Password = "correct horse battery staple";
    private const int Organizations = 20;
    private const int Days = 365;
    private const long OtherBase = 10_000_000;

    public async Task RunAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync("bench_senders");
        await using var env = await CheckEnvironment.StartAsync();
        env.PublishHealthyDomain();
        // Disabled: no check competes with the page requests. Distinct names (reports are keyed by name), 1,000 per team (the default quota).
        await Sql.ExecuteAsync(connectionString, $"""
            INSERT INTO teams (id, name, created_at, digest_enabled)
            SELECT gen_random_uuid(), 'others' || lpad(t::text, 3, '0'), now(), false FROM generate_series(0, {(options.DashboardDomains - 1) / 1000}) t;
            INSERT INTO domains (id, team_id, name, interval_seconds, enabled, recipients, created_at, updated_at, last_checked_at, status, consecutive_policy_failures)
            SELECT gen_random_uuid(), t.id, 's' || lpad(n::text, 5, '0') || '.example.test', 3600, false, ARRAY[]::text[], now(), now(), now() - interval '1 hour', 'ok', 0
            FROM generate_series(0, {options.DashboardDomains - 1}) n JOIN teams t ON t.name = 'others' || lpad((n / 1000)::text, 3, '0');
            """);
        await using (var node = MonitorNode.Build(env, connectionString))
        {
            var real = await node.GetRequiredService<DomainRegistry>().AddAsync(CheckEnvironment.Domain, Team, TimeSpan.FromHours(1), [], CancellationToken.None);
            await node.GetRequiredService<DomainCheckRunner>().CheckAsync(real.Id, CheckTrigger.Manual, CancellationToken.None);
        }
        var seed = Stopwatch.StartNew();
        await Sql.ExecuteAsync(connectionString, SeedSql(options.DashboardDomains, options.SendersOtherDays), 1800);
        var reports = await Sql.ScalarAsync(connectionString, "SELECT count(*) FROM tlsrpt_reports");
        var failures = await Sql.ScalarAsync(connectionString, "SELECT count(*) FROM tlsrpt_failures");
        table.Add("5 Senders", "Reports generated", $"{reports:N0} reports, {failures:N0} failure rows in {N(seed.Elapsed.TotalSeconds, "0")} s", "",
            $"measured domain: {Days} days × {Organizations} organisations; {options.DashboardDomains:N0} other domains × {options.SendersOtherDays} days × 2 organisations");

        var settings = MonitorNode.Settings(env);
        settings["ConnectionStrings:Monitor"] = connectionString;
        settings["Web:RateLimits:PerUser"] = "1000000";
        settings["Web:RateLimits:PerToken"] = "1000000";
        settings["Web:RateLimits:PerAddress"] = "1000000";
        settings["TlsRpt:MailboxAddress"] = "reports@monitor.example";
        // The page, not the alert job, is measured.
        settings["TlsRpt:Alerts:Enabled"] = "false";
        await using var serve = await ServeProcess.StartAsync(settings);
        await serve.CliAsync(["users", "add", "bench@example.test", "--team", Team], Password + "\n");
        var token = (await serve.CliAsync(["tokens", "create", "--team", Team])).Trim();
        using var browser = await DashboardClient.SignInAsync(serve.BaseAddress, "bench@example.test", Password);
        using var api = DashboardClient.WithToken(serve.BaseAddress, token);
        var id = (Guid)(await ScalarObjectAsync(connectionString, "SELECT id FROM domains WHERE name = 'example.test'"))!;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var yearPath = $"/api/v1/domains/{id}/tlsrpt?from={today.AddDays(-364):yyyy-MM-dd}&to={today:yyyy-MM-dd}";
        // The page must be measured with the year of reports in it, not empty: the team sees the reports sent to its address.
        using (var year = System.Text.Json.JsonDocument.Parse(await api.GetStringAsync(new Uri(yearPath, UriKind.Relative))))
        {
            var shown = year.RootElement.GetProperty("reports").GetInt32();
            // About a year's worth: the seed's first and last days are partial, and the range ends today.
            if (shown < (Days - 2) * Organizations)
                throw new InvalidOperationException($"The measured domain shows {shown} reports of the year, not at least {(Days - 2) * Organizations}: the benchmark would measure an empty card.");
        }

        // The same request without TLS-RPT, measured beside the others: a yardstick for how loaded the machine was.
        await MeasureAsync(api, "API: GET /api/v1/domains/{id} (no TLS-RPT, load reference)", $"/api/v1/domains/{id}");
        await MeasureAsync(browser, "Page: domain page with What senders saw, 30 days", $"/domains/{id}");
        await MeasureAsync(browser, "Page: domain page with What senders saw, 90 days", $"/domains/{id}?senders=90");
        await MeasureAsync(api, "API: GET /api/v1/domains/{id}/tlsrpt, 365 days", yearPath);
    }

    /// <summary>
    /// The measured domain: one report per organisation and day, received at its team's own address, every fifth with failures (two failure rows of rotating
    /// result types, MX hosts and sending IPs). The other domains: two organisations a day, every tenth report with one
    /// failure row, received at the shared address. Ids are set explicitly so that policies and failures join their reports without a lookup.
    /// </summary>
    private static string SeedSql(int otherDomains, int otherDays) => $"""
        SET TIME ZONE 'UTC';
        INSERT INTO tlsrpt_reports (id, organization_name, report_id, start_at, end_at, report_day, received_at, source, raw_gzip)
        SELECT n, 'Sender ' || lpad((n % {Organizations})::text, 2, '0') || ' Inc.', 'm-' || n, d, d + interval '1 day' - interval '1 second', d::date, d + interval '27 hours', 'import', '\x1f8b'::bytea
        FROM (SELECT n, (current_date - 1 - n / {Organizations})::timestamptz AS d FROM generate_series(1, {Days * Organizations}) n) s;
        INSERT INTO tlsrpt_policies (id, report_id, n, report_day, organization_name, policy_type, policy_domain, domain_name, policy_strings, mx_hosts, successful_sessions, failed_sessions, failure_detail_sessions,
                                     delivered_to_teams, via_shared_address)
        SELECT r.id, r.id, 0, r.report_day, r.organization_name, 'sts', 'example.test', 'example.test',
               ARRAY['version: STSv1', 'mode: enforce', 'mx: mx1.example.test', 'mx: mx2.example.test', 'max_age: 604800'], ARRAY['mx1.example.test', 'mx2.example.test'],
               1000 + (r.id * 7919) % 5000, CASE WHEN r.id % 5 = 0 THEN 2 * (1 + r.id % 37) ELSE 0 END, CASE WHEN r.id % 5 = 0 THEN 2 * (1 + r.id % 37) ELSE 0 END,
               ARRAY[(SELECT team_id FROM domains WHERE name = 'example.test')], false
        FROM tlsrpt_reports r;
        INSERT INTO tlsrpt_failures (policy_id, result_type, sending_mta_ip, receiving_mx_hostname, receiving_ip, failed_sessions, failure_reason_code)
        SELECT p.id, (ARRAY['certificate-expired', 'starttls-not-supported', 'validation-failure', 'certificate-host-mismatch'])[1 + (p.id / 5 + k) % 4],
               '198.51.100.' || (p.id % 250), 'mx' || (1 + k) || '.example.test', '192.0.2.' || (1 + k), 1 + p.id % 37, 'reason ' || (p.id % 7)
        FROM tlsrpt_policies p CROSS JOIN generate_series(0, 1) k WHERE p.failed_sessions > 0;

        INSERT INTO tlsrpt_reports (id, organization_name, report_id, start_at, end_at, report_day, received_at, source, raw_gzip)
        SELECT {OtherBase} + n, CASE WHEN n % 2 = 0 THEN 'Google Inc.' ELSE 'Microsoft Corporation' END, 'o-' || n, d, d + interval '1 day' - interval '1 second', d::date, d + interval '27 hours', 'import', '\x1f8b'::bytea
        FROM (SELECT n, (current_date - 1 - (n % {otherDays * 2}) / 2)::timestamptz AS d FROM generate_series(0, {otherDomains * otherDays * 2 - 1}) n) s;
        INSERT INTO tlsrpt_policies (id, report_id, n, report_day, organization_name, policy_type, policy_domain, domain_name, policy_strings, mx_hosts, successful_sessions, failed_sessions, failure_detail_sessions,
                                     via_shared_address)
        SELECT r.id, r.id, 0, r.report_day, r.organization_name, 'sts', d.name, d.name,
               ARRAY['version: STSv1', 'mode: enforce', 'mx: mx1.example.test', 'max_age: 86400'], ARRAY['mx1.example.test'],
               200 + r.id % 300, CASE WHEN r.id % 10 = 0 THEN 3 ELSE 0 END, CASE WHEN r.id % 10 = 0 THEN 3 ELSE 0 END, true
        FROM tlsrpt_reports r CROSS JOIN LATERAL (SELECT 's' || lpad(((r.id - {OtherBase}) / {otherDays * 2})::text, 5, '0') || '.example.test' AS name) d
        WHERE r.id >= {OtherBase};
        INSERT INTO tlsrpt_failures (policy_id, result_type, sending_mta_ip, receiving_mx_hostname, receiving_ip, failed_sessions)
        SELECT p.id, 'certificate-expired', '203.0.113.9', 'mx1.example.test', '192.0.2.1', 3 FROM tlsrpt_policies p WHERE p.id >= {OtherBase} AND p.failed_sessions > 0;

        SELECT setval(pg_get_serial_sequence('tlsrpt_reports', 'id'), (SELECT max(id) FROM tlsrpt_reports));
        SELECT setval(pg_get_serial_sequence('tlsrpt_policies', 'id'), (SELECT max(id) FROM tlsrpt_policies));
        ANALYZE tlsrpt_reports, tlsrpt_policies, tlsrpt_failures;
        """;

    private static async Task<object?> ScalarObjectAsync(string connectionString, string sql)
    {
        await using var conn = new Npgsql.NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    private async Task MeasureAsync(HttpClient client, string label, string path)
    {
        var uri = new Uri(path, UriKind.Relative);
        for (var i = 0; i < 10; i++)
            (await client.GetAsync(uri)).EnsureSuccessStatusCode();
        var latencies = new double[options.DashboardRequests];
        long bytes = 0;
        for (var i = 0; i < latencies.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(uri);
            response.EnsureSuccessStatusCode();
            bytes = (await response.Content.ReadAsByteArrayAsync()).Length;
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(latencies);
        table.Add("5 Senders", $"{label}: p50 / p95", $"{N(LoadRunner.Percentile(latencies, 0.5))} / {N(LoadRunner.Percentile(latencies, 0.95))} ms", "p95 < 100 ms",
            $"{latencies.Length} requests, {Bytes(bytes)}");
    }
}
