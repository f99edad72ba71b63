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
/// Section 4: the dashboard and the API of a real <c>serve</c> over HTTP, with many domains in one team and a year of
/// history each. Requests one at a time (a person clicking), after a warm-up; p50 and p95 per page.
/// </summary>
public sealed class DashboardBenchmark(BenchOptions options, ResultTable table, BenchPostgres postgres)
{
    private const string Team = "bench000";
    private const string Password = "correct horse battery staple";

    public async Task RunAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync("bench_dashboard");
        await using var env = await CheckEnvironment.StartAsync();
        env.PublishHealthyDomain();
        // Disabled: the reconciler then has nothing to schedule, and no check competes with the page requests.
        await DomainSeeder.SeedAsync(connectionString, options.DashboardDomains, options.DashboardDomains, 3600, checkedBefore: true, enabled: false);
        await using (var node = MonitorNode.Build(env, connectionString))
        {
            // One real check gives the history real snapshots to point at.
            var real = await node.GetRequiredService<DomainRegistry>().AddAsync(CheckEnvironment.Domain, Team, TimeSpan.FromHours(1), [], CancellationToken.None);
            await node.GetRequiredService<DomainCheckRunner>().CheckAsync(real.Id, CheckTrigger.Manual, CancellationToken.None);
        }
        var seed = Stopwatch.StartNew();
        await Sql.ExecuteAsync(connectionString, "UPDATE domains SET current_observation_id = NULL WHERE name <> 'example.test'");
        await HistorySeeder.SeedAsync(connectionString, options.HistoryDays);
        var rows = await Sql.ScalarAsync(connectionString, "SELECT count(*) FROM observations");
        table.Add("4 Dashboard", "History generated", $"{rows:N0} observations in {N(seed.Elapsed.TotalSeconds, "0")} s", "",
            $"{options.DashboardDomains:N0} domains × {options.HistoryDays} days, a drift event every 30 days");

        var settings = MonitorNode.Settings(env);
        settings["ConnectionStrings:Monitor"] = connectionString;
        // This measures the pages, not the rate limits: one user and one token send far more than their default budget.
        settings["Web:RateLimits:PerUser"] = "1000000";
        settings["Web:RateLimits:PerToken"] = "1000000";
        settings["Web:RateLimits:PerAddress"] = "1000000";
        await using var serve = await ServeProcess.StartAsync(settings);
        await serve.CliAsync(["users", "add", "bench@example.test", "--team", Team], Password + "\n");
        var token = (await serve.CliAsync(["tokens", "create", "--team", Team])).Trim();
        using var browser = await DashboardClient.SignInAsync(serve.BaseAddress, "bench@example.test", Password);
        using var api = DashboardClient.WithToken(serve.BaseAddress, token);
        var domainId = await FirstDomainAsync(connectionString);

        await MeasureAsync(browser, "Page: domains list (/, first page of 50)", "/");
        await MeasureAsync(browser, "Page: domains list sorted by status", "/?sort=status");
        await MeasureAsync(browser, "Page: domain page (/domains/{id})", $"/domains/{domainId}");
        await MeasureAsync(api, "API: GET /api/v1/domains", "/api/v1/domains?pageSize=50");
        await MeasureAsync(api, "API: GET /api/v1/domains?search=d12&sort=checked", "/api/v1/domains?search=d12&sort=checked");
        await MeasureAsync(api, "API: GET /api/v1/domains/{id}", $"/api/v1/domains/{domainId}");
        await MeasureAsync(api, "API: GET /api/v1/domains/{id}/observations", $"/api/v1/domains/{domainId}/observations");
    }

    private static async Task<Guid> FirstDomainAsync(string connectionString)
    {
        await using var conn = new Npgsql.NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT id FROM domains WHERE name = 'd5000.example.test' OR name = 'd0000.example.test' ORDER BY name DESC LIMIT 1", conn);
        return (Guid)(await cmd.ExecuteScalarAsync())!;
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
        table.Add("4 Dashboard", $"{label}: p50 / p95", $"{N(LoadRunner.Percentile(latencies, 0.5))} / {N(LoadRunner.Percentile(latencies, 0.95))} ms", "p95 < 100 ms",
            $"{latencies.Length} requests, {Bytes(bytes)}");
    }
}
