using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MonitorService.Benchmarks.Infrastructure;
using MonitorService.Domains;
using MonitorService.Monitoring;
using MonitorService.Testing;
using static MonitorService.Benchmarks.Infrastructure.ResultTable;

namespace MonitorService.Benchmarks.Scale;

/// <summary>
/// Section 3, storage: registers domains, checks each once through the full recording pipeline (first check: the
/// observation is new), then again with nothing changed, and reads what the second round wrote.
/// </summary>
public sealed class StorageBenchmark(BenchOptions options, ResultTable table, BenchPostgres postgres)
{
    public async Task RunAsync()
    {
        const string s = "3 Storage";
        var connectionString = await postgres.CreateDatabaseAsync("bench_storage");
        await using var env = await CheckEnvironment.StartAsync();
        var names = env.PublishSyntheticDomains(options.StorageDomains, certificatePerPolicyHost: true);
        await using var node = MonitorNode.Build(env, connectionString);
        var registry = node.GetRequiredService<DomainRegistry>();
        var ids = new List<Guid>();
        foreach (var name in names)
            ids.Add((await registry.AddAsync(name, "bench", TimeSpan.FromHours(1), [], CancellationToken.None)).Id);

        var empty = await WriteStats.ReadAsync(connectionString);
        var first = await CheckAllAsync(node, ids);
        var afterFirst = await WriteStats.ReadAsync(connectionString);
        var second = await CheckAllAsync(node, ids);
        var afterSecond = await WriteStats.ReadAsync(connectionString);
        Console.Error.WriteLine("  per table: " + await WriteStats.PerTableAsync(connectionString, afterFirst));

        var n = (double)ids.Count;
        table.Add(s, "Monitored checks/s (check + record, c=16)", $"{N(first.PerSecond)} first / {N(second.PerSecond)} unchanged", "",
            $"{ids.Count} domains; p95 {N(second.P95)} ms unchanged");
        table.Add(s, "Snapshot rows per unchanged check", N((afterSecond.SnapshotRows - afterFirst.SnapshotRows) / n, "0.###"), "0");
        table.Add(s, "Observation rows per unchanged check", N((afterSecond.ObservationRows - afterFirst.ObservationRows) / n, "0.###"), "0");
        table.Add(s, "Rows inserted / updated per unchanged check", $"{N((afterSecond.Inserted - afterFirst.Inserted) / n, "0.##")} / {N((afterSecond.Updated - afterFirst.Updated) / n, "0.##")}", "0 / ≤ 1",
            "pg_stat_user_tables n_tup_ins / n_tup_upd deltas");
        var updated = afterSecond.Updated - afterFirst.Updated;
        table.Add(s, "Updates of unchanged checks that were HOT (no index writes)", updated == 0 ? "-" : $"{N(100.0 * (afterSecond.HotUpdated - afterFirst.HotUpdated) / updated, "0")} %", "",
            "pg_stat_user_tables n_tup_hot_upd / n_tup_upd");
        table.Add(s, "WAL bytes per unchanged check", Bytes((afterSecond.WalBytes - afterFirst.WalBytes) / n), "small");
        table.Add(s, "WAL bytes per first check", Bytes((afterFirst.WalBytes - empty.WalBytes) / n));
        var firstBytes = (afterFirst.TableBytes - empty.TableBytes) / n;
        var unchangedBytes = (afterSecond.TableBytes - afterFirst.TableBytes) / n;
        table.Add(s, "Table bytes per domain after first check / growth per unchanged check", $"{Bytes(firstBytes)} / {Bytes(unchangedBytes)}", "",
            "pg_total_relation_size, all tables");
        // Hourly checks: 720 a month; unchanged checks only rewrite a row (space reused by HOT/vacuum).
        table.Add(s, "Storage per domain per month (hourly, unchanged)", Bytes(firstBytes + Math.Max(0, unchangedBytes) * 720), "",
            "first check + 720 × measured growth; each state change adds an observation row (+ new snapshots only for new content)");
    }

    private static async Task<(double PerSecond, double P95)> CheckAllAsync(IServiceProvider node, List<Guid> ids)
    {
        var latencies = new double[ids.Count];
        var stopwatch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, ids.Count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
        {
            var started = Stopwatch.GetTimestamp();
            await using var scope = node.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DomainCheckRunner>().CheckAsync(ids[i], CheckTrigger.Manual, ct);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        });
        var elapsed = stopwatch.Elapsed;
        Array.Sort(latencies);
        return (ids.Count / elapsed.TotalSeconds, LoadRunner.Percentile(latencies, 0.95));
    }
}
