using System.Diagnostics;
using System.Globalization;
using MonitorService.Benchmarks.Infrastructure;
using MonitorService.Testing;

namespace MonitorService.Benchmarks.Scale;

/// <summary>
/// Section 3, scheduler: one real node (<c>serve</c>) with many hourly domains registered, measured <see cref="BenchOptions.Runs"/>
/// times on a fresh database each (rows print the median with min and max). Per run: start-up with nothing scheduled yet
/// (the reconciler's first pass creates one job and trigger per domain), a restart with everything scheduled (the pass only
/// reads), a steady window at the offered rate, a bulk registration of new never-checked domains while the node runs (as
/// a team pasting thousands, or the CLI on another machine: the node's periodic pass picks them up), and a backlog made due
/// at once to find what one node completes per hour. "Dispatch lag" is how late each check started against its trigger's
/// time, for every trigger that fired in the window.
/// </summary>
public sealed class SchedulerBenchmark(BenchOptions options, ResultTable table, BenchPostgres postgres)
{
    private const string S = "3 Scheduler";

    /// <summary>How long a full pass may take before the run gives up on it.</summary>
    private static readonly TimeSpan PassLimit = TimeSpan.FromMinutes(45);

    /// <summary>How long after the bulk registration's schedules exist the lag is still watched (its first checks are spaced out).</summary>
    private static readonly TimeSpan AfterBulk = TimeSpan.FromSeconds(30);

    private readonly RepeatedRows _rows = new();

    public async Task RunAsync()
    {
        await using var env = await CheckEnvironment.StartAsync();
        var names = env.PublishSyntheticDomains(Math.Min(options.SyntheticDomains, options.ScaleDomains), certificatePerPolicyHost: true);
        for (var run = 1; run <= options.Runs; run++)
        {
            Console.Error.WriteLine($"scheduler: run {run} of {options.Runs}");
            await RunOnceAsync(env, names.Count, run);
        }
        _rows.WriteTo(table, S);
    }

    private async Task RunOnceAsync(CheckEnvironment env, int perTeam, int run)
    {
        var connectionString = await postgres.CreateDatabaseAsync($"bench_scale_{run}");
        var seed = Stopwatch.StartNew();
        // Fewer domains than 100,000 get a shorter interval, so the node is still offered 100,000 checks an hour.
        var interval = Math.Max(300, 3600L * options.ScaleDomains / 100_000);
        var offeredPerHour = options.ScaleDomains * 3600L / interval;
        await DomainSeeder.SeedAsync(connectionString, options.ScaleDomains, perTeam, (int)interval, checkedBefore: true);
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
        await MeasureBulkRegistrationAsync(connectionString, perTeam, (int)interval, passes, meter);
        var backlog = (int)Math.Min(options.ScaleDomains, 200 * options.RateStep.TotalSeconds);
        await Sql.ExecuteAsync(connectionString, $"""
            UPDATE qrtz_triggers SET next_fire_time = {DateTimeOffset.UtcNow.AddSeconds(2).UtcTicks.ToString(CultureInfo.InvariantCulture)}
            WHERE ctid IN (SELECT ctid FROM qrtz_triggers WHERE trigger_state = 'WAITING' AND trigger_group = 'schedule' LIMIT {backlog})
            """);
        await MeasureWindowAsync(meter, $"Backlog of {backlog:N0} due at once");
    }

    /// <summary>Starts a node, waits for its reconciler's first (full) pass and records start-up time, lag, what the pass did, and memory.</summary>
    private async Task<ServeProcess> StartNodeAsync(Dictionary<string, string?> settings, ReconcilePassMeter passes, CheckMeter meter, string label)
    {
        var connectionString = settings["ConnectionStrings:Monitor"]!;
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var peak = new PeakMemorySampler();
        meter.TakeLags();
        passes.TakeDomains();
        var started = Stopwatch.StartNew();
        var serve = await ServeProcess.StartAsync(settings);
        var ready = started.Elapsed;
        var readyAt = DateTimeOffset.UtcNow;
        TimeSpan? pass;
        using (var progress = new CancellationTokenSource())
        {
            var reporting = ReportProgressAsync(connectionString, started, progress.Token);
            pass = await passes.NextFullPassAsync(PassLimit);
            await progress.CancelAsync();
            await reporting;
        }
        // The pass reads and writes the cluster's store while checks fire: how late did checks due meanwhile start? (Checks
        // that came due while no node ran, between the stop and this start, start late by the gap: counted apart.)
        var fired = meter.TakeLagsWithTimes();
        var lags = fired.Where(l => l.Scheduled >= readyAt).Select(l => l.Lag).Order().ToArray();
        var catchUp = fired.Where(l => l.Scheduled < readyAt).Select(l => l.Lag).Order().ToArray();
        var did = passes.TakeDomains();
        var scheduled = await Sql.ScalarAsync(connectionString, "SELECT count(*) FROM qrtz_triggers WHERE trigger_group = 'schedule'");
        var peakWorkingSet = peak.Peak;
        var heapDelta = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        using var process = Process.GetCurrentProcess();
        if (pass is null)
            throw new TimeoutException($"{label}: the full pass did not finish within {PassLimit}");

        var domains = options.ScaleDomains;
        long Did(string outcome) => did.GetValueOrDefault(("full", outcome));
        _rows.Add($"{label} ({domains:N0} domains): ready / full reconcile pass", [ready.TotalSeconds, pass.Value.TotalSeconds], "0.0", "s", "",
            $"{N(domains / pass.Value.TotalSeconds, "#,0")} domains/s in the pass; {scheduled:N0} recurring triggers stored");
        _rows.Add($"{label}: what the pass did, created / one at a time / unchanged", [Did("created"), Did("one_by_one"), Did("unchanged")], "#,0", "domains", "",
            "monitor.scheduler.reconcile.domains");
        AddLagRow($"{label}: dispatch lag of checks due during the pass, p50 / p95 / max", lags, "< 2 s p95");
        if (catchUp.Length > 0)
            AddLagRow($"{label}: checks due before the node was ready (no node ran): lag p50 / p95 / max", catchUp, "", "the stop-to-ready gap");
        _rows.Add($"{label}: node managed heap after the pass (delta)", [heapDelta / 1048576.0], "0.0", "MiB", "", $"{Bytes((double)heapDelta / domains)} per domain");
        _rows.Add($"{label}: process working set after the pass / peak during start-up", [process.WorkingSet64 / 1048576.0, peakWorkingSet / 1048576.0], "0", "MiB", "",
            "whole benchmark process: node, loopback DNS/HTTPS/SMTP servers, PostgreSQL client");
        return serve;
    }

    /// <summary>
    /// New never-checked domains written to the database while the node runs; its periodic pass (every 30 s) creates their
    /// schedules. Lag is watched from the insert until <see cref="AfterBulk"/> after the last schedule exists.
    /// </summary>
    private async Task MeasureBulkRegistrationAsync(string connectionString, int perTeam, int interval, ReconcilePassMeter passes, CheckMeter meter)
    {
        var count = options.BulkDomains;
        var label = $"Bulk registration of {count:N0} new domains while running";
        meter.TakeLags();
        passes.TakeDomains();
        var checksBefore = meter.Checks;
        var started = Stopwatch.StartNew();
        await DomainSeeder.SeedAsync(connectionString, count, perTeam, interval, checkedBefore: false, teamPrefix: "bulk");
        var inserted = started.Elapsed;
        while (passes.Domains("changes", "created") < count)
        {
            if (started.Elapsed > TimeSpan.FromMinutes(10))
                throw new TimeoutException($"{label}: only {passes.Domains("changes", "created")} schedules created within 10 minutes");
            await Task.Delay(100);
        }
        var created = started.Elapsed;
        await Task.Delay(AfterBulk);
        var lags = meter.TakeLags();
        var firstChecks = passes.Domains("changes", "first_check");
        _rows.Add($"{label}: schedules created (from the insert, the pass runs every 30 s)", [created.TotalSeconds], "0.0", "s", "",
            $"insert took {N(inserted.TotalSeconds, "0.0")} s; {firstChecks:N0} first checks stored, spaced at Scheduling:FirstChecksPerSecond");
        AddLagRow($"{label}: dispatch lag until {AfterBulk.TotalSeconds:0} s after, p50 / p95 / max", lags, "< 2 s p95",
            $"checks completed meanwhile: {meter.Checks - checksBefore:N0}");
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
        _rows.Add($"{label}: checks/hour completed / CPU machine / CPU node", [perHour, machine * 100, process * 100], "#,0", "", "100,000/h with CPU to spare",
            $"CPU in % of all cores, machine includes PostgreSQL; {N(window.Elapsed.TotalSeconds, "0")} s window");
        AddLagRow($"{label}: dispatch lag p50 / p95 / max", lags, "");
    }

    private void AddLagRow(string measurement, double[] sortedLags, string target, string notes = "")
    {
        var values = sortedLags.Length == 0 ? [0, 0, 0] : new[] { LoadRunner.Percentile(sortedLags, 0.5), LoadRunner.Percentile(sortedLags, 0.95), sortedLags[^1] };
        _rows.Add(measurement, values, "0.00", "s", target,
            (sortedLags.Length == 0 ? "no triggers fired" : $"{sortedLags.Length:N0} triggers fired") + (notes.Length > 0 ? "; " + notes : ""));
    }

    private static string N(double value, string format) => ResultTable.N(value, format);

    private static string Bytes(double bytes) => ResultTable.Bytes(bytes);
}
