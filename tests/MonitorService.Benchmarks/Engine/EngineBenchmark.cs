using MonitorService.Benchmarks.Infrastructure;
using MonitorService.Checks;
using MonitorService.Testing;
using static MonitorService.Benchmarks.Infrastructure.ResultTable;

namespace MonitorService.Benchmarks.Engine;

/// <summary>
/// Section 1 and 2: full checks per second of <see cref="DomainChecker"/> against the loopback servers at several
/// concurrencies, next to <see cref="BareCheck"/> doing only the network work. The engine runs twice: with the
/// default per-MX-server probe limit (a politeness limit, 4 probes at once per address; the synthetic domains share
/// two MX addresses, so at most 8 probes run at once) and with it raised to 100, which measures the engine itself.
/// </summary>
public sealed class EngineBenchmark(BenchOptions options, ResultTable table)
{
    public async Task RunAsync()
    {
        await using var env = await CheckEnvironment.StartAsync();
        var domains = env.PublishSyntheticDomains(options.SyntheticDomains, certificatePerPolicyHost: true);
        Console.Error.WriteLine($"engine: {domains.Count} synthetic domains on loopback");
        var polite = DomainChecker.Create(env.Options(o => o.TimeoutSeconds = 10), TimeProvider.System);
        var raised = DomainChecker.Create(env.Options(o => { o.TimeoutSeconds = 10; o.MaxProbesPerMxHost = 100; }), TimeProvider.System);
        var bare = new BareCheck(env);
        // DNSSEC: the same domains served by the signed test hierarchy (root, test., example.test., ECDSA P-256), the
        // engine validating every answer from the test root. Served only during its own runs.
        var hierarchy = env.SignZones();
        env.Dns.Dnssec = null;
        var validating = DomainChecker.Create(env.Options(o => { o.TimeoutSeconds = 10; o.MaxProbesPerMxHost = 100; }), TimeProvider.System);

        foreach (var concurrency in options.Concurrency)
        {
            var baseline = await LoadRunner.RunAsync(concurrency, options.Warmup, options.Duration, async i =>
            {
                // UDP has no retry here: a lost datagram would stall the worker, so bound it like the engine's timeout.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await bare.CheckAsync(domains[i % domains.Count], timeout.Token);
                    return true;
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            });
            var engine = await RunEngineAsync(raised, domains, concurrency);
            var defaultLimit = await RunEngineAsync(polite, domains, concurrency);
            Report(concurrency, baseline, engine, defaultLimit);
            env.Dns.Dnssec = hierarchy;
            var dnssec = await RunEngineAsync(validating, domains, concurrency);
            env.Dns.Dnssec = null;
            ReportDnssec(concurrency, baseline, engine, dnssec);
        }

        var plainQueries = await QueriesPerCheckAsync(env, raised, domains);
        env.Dns.Dnssec = hierarchy;
        var validatingQueries = await QueriesPerCheckAsync(env, validating, domains);
        env.Dns.Dnssec = null;
        table.Add("1 Engine", "DNS queries per check, validation off / on (zone keys cached)", $"{N(plainQueries)} / {N(validatingQueries)}", "",
            "sequential sample of 50 checks after the runs; the extra ones are the name-server survey, which only the signed hierarchy can run (its name server has an address): validation asks each answer once, keys come from the cache");
    }

    /// <summary>Queries the loopback DNS server received per check, over a sequential sample with warm caches.</summary>
    private static async Task<double> QueriesPerCheckAsync(CheckEnvironment env, DomainChecker checker, IReadOnlyList<string> domains)
    {
        const int sample = 50;
        env.Dns.ClearQueries();
        for (var i = 0; i < sample; i++)
            await checker.CheckAsync(domains[i % domains.Count]);
        return (double)env.Dns.Queries.Count / sample;
    }

    private void ReportDnssec(int c, LoadResult baseline, LoadResult engine, LoadResult dnssec)
    {
        const string s = "1 Engine";
        table.Add(s, $"c={c}: checks/s with DNSSEC validation (limit 100)", $"{N(dnssec.PerSecond)} (without: {N(engine.PerSecond)})", "",
            dnssec.Failures > 0 ? $"{dnssec.Failures} checks not ok" : "all checks ok, every answer secure");
        table.Add(s, $"c={c}: latency p50 / p95 / p99 (DNSSEC)", $"{N(dnssec.P50Ms)} / {N(dnssec.P95Ms)} / {N(dnssec.P99Ms)} ms");
        table.Add(s, $"c={c}: allocated per check (DNSSEC / without)", $"{Bytes(dnssec.AllocatedPerOperation)} / {Bytes(engine.AllocatedPerOperation)}", "",
            "process-wide: includes the test server signing every answer on the fly");
        table.Add("2 Limit", $"c={c}: engine with DNSSEC / bare", N(dnssec.PerSecond / baseline.PerSecond, "0.00"), "≥ 0.5", "");
    }

    private Task<LoadResult> RunEngineAsync(DomainChecker checker, IReadOnlyList<string> domains, int concurrency) =>
        LoadRunner.RunAsync(concurrency, options.Warmup, options.Duration, async i =>
        {
            var report = await checker.CheckAsync(domains[i % domains.Count]);
            // With validation on, "ok" also needs every answer secure (no DNSSEC finding of any severity).
            return report.Status == "ok" && (report.Dnssec is null || report.Dnssec.All(d => d.Status == "secure"));
        });

    private void Report(int c, LoadResult baseline, LoadResult engine, LoadResult defaultLimit)
    {
        const string s = "1 Engine";
        var failures = engine.Failures + defaultLimit.Failures;
        table.Add(s, $"c={c}: checks/s (probe limit 100 / default 4)", $"{N(engine.PerSecond)} / {N(defaultLimit.PerSecond)}", "",
            failures > 0 ? $"{failures} checks not ok" : "all checks ok");
        table.Add(s, $"c={c}: latency p50 / p95 / p99 (limit 100)", $"{N(engine.P50Ms)} / {N(engine.P95Ms)} / {N(engine.P99Ms)} ms");
        table.Add(s, $"c={c}: latency p50 / p95 / p99 (default 4)", $"{N(defaultLimit.P50Ms)} / {N(defaultLimit.P95Ms)} / {N(defaultLimit.P99Ms)} ms");
        table.Add(s, $"c={c}: allocated per check (engine / bare)", $"{Bytes(engine.AllocatedPerOperation)} / {Bytes(baseline.AllocatedPerOperation)}", "",
            "process-wide, includes the loopback servers");
        table.Add(s, $"c={c}: peak working set (engine)", Bytes(Math.Max(engine.PeakWorkingSet, defaultLimit.PeakWorkingSet)), "", "whole process, servers included");
        table.Add("2 Limit", $"c={c}: bare network work, checks/s", $"{N(baseline.PerSecond)} (p50 {N(baseline.P50Ms)} ms)", "",
            baseline.Failures > 0 ? $"{baseline.Failures} timed out (lost UDP datagram)" : "");
        table.Add("2 Limit", $"c={c}: engine / bare", N(engine.PerSecond / baseline.PerSecond, "0.00"), "≥ 0.5",
            $"default limit: {N(defaultLimit.PerSecond / baseline.PerSecond, "0.00")}");
    }
}
