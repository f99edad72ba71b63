using System.Diagnostics;
using System.Globalization;
using MonitorService.Benchmarks.Infrastructure;
using MonitorService.Testing;
using static MonitorService.Benchmarks.Infrastructure.ResultTable;

namespace MonitorService.Benchmarks.Scale;

/// <summary>
/// Section 3, scheduler: one real node (<c>serve</c>) with many hourly domains registered. Start-up twice: first with
/// nothing scheduled yet (the reconciler's first pass creates one job and trigger per domain), then a restart with
/// everything already scheduled (the pass only reads); each with the time to ready, the time of the full pass as the
/// node reports it, and memory. Then, on the restarted node, a steady window at the offered rate (domains per hour),
/// then a backlog made due at once to find what one node completes per hour.
/// </summary>
public sealed class SchedulerBenchmark(BenchOptions options, ResultTable table, BenchPostgres postgres)
{
    private const string S = "3 Scheduler";

    /// <summary>How long a full pass may take before the row says "not within the limit" (one at a time, it took 13-24 min for 100,000).</summary>
    private static readonly TimeSpan PassLimit = TimeSpan.FromMinutes(45);

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
        if (options.ReconcileBatchSize is { } batchSize)
            settings["Scheduling:ReconcileBatchSize"] = batchSize.ToString(CultureInfo.InvariantCulture);
        using var meter = new CheckMeter();
        using var passes = new ReconcilePassMeter();
        await using (await StartNodeAsync(settings, passes, meter, "Start-up, nothing scheduled"))
        {
        }
        await using var serve = await StartNodeAsync(settings, passes, meter, "Restart, all scheduled");

        await MeasureWindowAsync(meter, $"Steady, {offeredPerHour:N0}/h offered ({options.ScaleDomains:N0} domains every {interval} s)");
        var backlog = (int)Math.Min(options.ScaleDomains, 200 * options.RateStep.TotalSeconds);
        await Sql.ExecuteAsync(connectionString, $"""
            UPDATE qrtz_triggers SET next_fire_time = {DateTimeOffset.UtcNow.AddSeconds(2).UtcTicks.ToString(CultureInfo.InvariantCulture)}
            WHERE ctid IN (SELECT ctid FROM qrtz_triggers WHERE trigger_state = 'WAITING' LIMIT {backlog})
            """);
        await MeasureWindowAsync(meter, $"Backlog of {backlog:N0} due at once");
    }

    /// <summary>Starts a node, waits for its reconciler's first (full) pass and reports start-up time and memory.</summary>
    private async Task<ServeProcess> StartNodeAsync(Dictionary<string, string?> settings, ReconcilePassMeter passes, CheckMeter meter, string label)
    {
        var connectionString = settings["ConnectionStrings:Monitor"]!;
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var peak = new PeakMemorySampler();
        meter.TakeLags();
        var started = Stopwatch.StartNew();
        var serve = await ServeProcess.StartAsync(settings);
        var ready = started.Elapsed;
        TimeSpan? pass;
        using (var progress = new CancellationTokenSource())
        {
            var reporting = ReportProgressAsync(connectionString, started, progress.Token);
            pass = await passes.NextFullPassAsync(PassLimit);
            await progress.CancelAsync();
            await reporting;
        }
        // The pass writes under the cluster's trigger lock, which firing waits for: how late did checks start meanwhile?
        var lags = meter.TakeLags();
        var scheduled = await Sql.ScalarAsync(connectionString, "SELECT count(*) FROM qrtz_triggers WHERE trigger_group = 'schedule'");
        var peakWorkingSet = peak.Peak;
        var heapDelta = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        using var process = Process.GetCurrentProcess();

        var domains = options.ScaleDomains;
        table.Add(S, $"{label} ({domains:N0} domains): ready / full reconcile pass",
            pass is { } p ? $"{N(ready.TotalSeconds)} s / {N(p.TotalSeconds)} s" : $"{N(ready.TotalSeconds)} s / not within {PassLimit.TotalMinutes} min", "",
            (pass is { } q ? $"{N(domains / q.TotalSeconds, "#,0")} domains/s in the pass; " : "") + $"{scheduled:N0} recurring triggers stored");
        table.Add(S, $"{label}: dispatch lag during start-up and pass, p50 / p95 / max", lags.Length == 0 ? "no triggers fired"
            : $"{N(LoadRunner.Percentile(lags, 0.5), "0.00")} / {N(LoadRunner.Percentile(lags, 0.95), "0.00")} / {N(lags[^1], "0.00")} s", "",
            $"{lags.Length:N0} triggers fired meanwhile");
        table.Add(S, $"{label}: node managed heap after the pass (delta)", Bytes(heapDelta), "", $"{Bytes((double)heapDelta / domains)} per domain");
        table.Add(S, $"{label}: process working set after the pass / peak during start-up", $"{Bytes(process.WorkingSet64)} / {Bytes(peakWorkingSet)}", "",
            "whole benchmark process: node, loopback DNS/HTTPS/SMTP servers, PostgreSQL client");
        return serve;
    }

    private static async Task ReportProgressAsync(string connectionString, Stopwatch started, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
                var triggers = await Sql.ScalarAsync(connectionString, "SELECT count(*) FROM qrtz_triggers");
                Console.Error.WriteLine($"  {started.Elapsed.TotalSeconds:0} s: {triggers} triggers");
            }
        }
        catch (OperationCanceledException)
        {
        }
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
}
