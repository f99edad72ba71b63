using System.Diagnostics;
using System.Globalization;
using MonitorService.Benchmarks.Infrastructure;
using MonitorService.Testing;
using static MonitorService.Benchmarks.Infrastructure.ResultTable;

namespace MonitorService.Benchmarks.Scale;

/// <summary>
/// Section 3, scheduler: one real node (<c>serve</c>) with many hourly domains registered. Start-up (ready, and the
/// reconciler's first pass creating one trigger per domain), managed memory, then a steady window at the offered
/// rate (domains per hour), then a backlog made due at once to find what one node completes per hour.
/// </summary>
public sealed class SchedulerBenchmark(BenchOptions options, ResultTable table, BenchPostgres postgres)
{
    private const string S = "3 Scheduler";

    public async Task RunAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync("bench_scale");
        await using var env = await CheckEnvironment.StartAsync();
        var names = env.PublishSyntheticDomains(Math.Min(options.SyntheticDomains, options.ScaleDomains), certificatePerPolicyHost: true);
        var seed = Stopwatch.StartNew();
        // Fewer domains than 100,000 get a shorter interval, so the node is still offered 100,000 checks an hour.
        var interval = Math.Max(300, 3600L * options.ScaleDomains / 100_000);
        var offeredPerHour = options.ScaleDomains * 3600L / interval;
        await DomainSeeder.SeedAsync(connectionString, options.ScaleDomains, names.Count, (int)interval, checkedBefore: true);
        Console.Error.WriteLine($"scheduler: seeded {options.ScaleDomains} domains in {seed.Elapsed.TotalSeconds:0} s");

        var settings = MonitorNode.Settings(env);
        settings["ConnectionStrings:Monitor"] = connectionString;
        using var meter = new CheckMeter();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var started = Stopwatch.StartNew();
        await using var serve = await ServeProcess.StartAsync(settings);
        var ready = started.Elapsed;
        var reconciled = await WaitForTriggersAsync(connectionString, options.ScaleDomains, started);
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        table.Add(S, $"Start-up with {options.ScaleDomains:N0} domains: ready / all scheduled",
            reconciled is { } r ? $"{N(ready.TotalSeconds)} s / {N(r.TotalSeconds)} s" : $"{N(ready.TotalSeconds)} s / not within the limit", "",
            $"{N(options.ScaleDomains / (reconciled ?? started.Elapsed).TotalSeconds, "0")} triggers/s in the reconciler's first pass");
        table.Add(S, "Node managed heap after start (delta)", Bytes(heapAfter - heapBefore), "", $"{Bytes((double)(heapAfter - heapBefore) / options.ScaleDomains)} per domain");

        await MeasureWindowAsync(meter, $"Steady, {offeredPerHour:N0}/h offered ({options.ScaleDomains:N0} domains every {interval} s)");
        var backlog = (int)Math.Min(options.ScaleDomains, 200 * options.RateStep.TotalSeconds);
        await Sql.ExecuteAsync(connectionString, $"""
            UPDATE qrtz_triggers SET next_fire_time = {DateTimeOffset.UtcNow.AddSeconds(2).UtcTicks.ToString(CultureInfo.InvariantCulture)}
            WHERE ctid IN (SELECT ctid FROM qrtz_triggers WHERE trigger_state = 'WAITING' LIMIT {backlog})
            """);
        await MeasureWindowAsync(meter, $"Backlog of {backlog:N0} due at once");
    }

    private async Task MeasureWindowAsync(CheckMeter meter, string label)
    {
        meter.TakeLags();
        var checks = meter.Checks;
        var cpu = new CpuSampler();
        var window = Stopwatch.StartNew();
        await Task.Delay(options.RateStep);
        var done = meter.Checks - checks;
        var (machine, process) = cpu.Stop();
        var lags = meter.TakeLags();
        var perHour = done / window.Elapsed.TotalSeconds * 3600;
        table.Add(S, $"{label}: checks/hour completed", N(perHour, "#,0"), "100,000/h with CPU to spare",
            $"CPU machine {N(machine * 100, "0")} % (PostgreSQL included), node {N(process * 100, "0")} %; {N(window.Elapsed.TotalSeconds, "0")} s window");
        table.Add(S, $"{label}: dispatch lag p50 / p95 / max", lags.Length == 0 ? "no triggers fired"
            : $"{N(LoadRunner.Percentile(lags, 0.5), "0.00")} / {N(LoadRunner.Percentile(lags, 0.95), "0.00")} / {N(lags[^1], "0.00")} s", "",
            "monitor.scheduler.lag");
    }

    private static async Task<TimeSpan?> WaitForTriggersAsync(string connectionString, int count, Stopwatch started)
    {
        var limit = TimeSpan.FromMinutes(8);
        while (started.Elapsed < limit)
        {
            var triggers = await Sql.ScalarAsync(connectionString, "SELECT count(*) FROM qrtz_triggers");
            if (triggers >= count)
                return started.Elapsed;
            Console.Error.WriteLine($"  {started.Elapsed.TotalSeconds:0} s: {triggers} triggers");
            await Task.Delay(TimeSpan.FromSeconds(5));
        }
        return null;
    }
}
