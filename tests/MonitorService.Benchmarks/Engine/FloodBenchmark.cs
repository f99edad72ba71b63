using System.Diagnostics;
using MonitorService.Benchmarks.Infrastructure;
using MonitorService.Checks;
using MonitorService.Checks.Model;
using MonitorService.Testing;
using static MonitorService.Benchmarks.Infrastructure.ResultTable;

namespace MonitorService.Benchmarks.Engine;

/// <summary>
/// What a hostile MX costs a node: the peak working set of a check whose backup MX answers EHLO with continuation
/// lines that never end (before the read limits this grew to gigabytes), alone and as 32 checks at once (a node's
/// default check concurrency). The same process's peak during healthy checks is the baseline.
/// </summary>
public sealed class FloodBenchmark(ResultTable table)
{
    private const int NodeConcurrency = 32;

    public async Task RunAsync()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        var checker = DomainChecker.Create(env.Options(o => o.TimeoutSeconds = 10), TimeProvider.System);
        await checker.CheckAsync(CheckEnvironment.Domain); // warm-up: JIT, TLS, caches

        var healthy = await MeasureAsync(checker, 1);
        env.Smtp.SetBehavior(CheckEnvironment.Mx2Ip, SmtpBehavior.FloodEhlo);
        var one = await MeasureAsync(checker, 1);
        var many = await MeasureAsync(checker, NodeConcurrency);
        var sent = env.Smtp.ConnectionsTo(CheckEnvironment.Mx2Ip).Max(c => c.BytesSent);

        const string s = "1 Engine";
        table.Add(s, "flooding MX: peak working set, 1 check (healthy check)", $"{Bytes(one.Peak)} ({Bytes(healthy.Peak)})", "",
            $"whole process, servers included; {N(one.Elapsed.TotalMilliseconds, "0")} ms; {(one.AllCutOff ? "cut off, SMTP_REPLY_TOO_LARGE" : "NOT cut off")}");
        table.Add(s, $"flooding MX: peak working set, {NodeConcurrency} checks at once", Bytes(many.Peak), "",
            $"{N(many.Elapsed.TotalMilliseconds, "0")} ms; {(many.AllCutOff ? "all cut off" : "NOT all cut off")}; the most one flood connection sent before the hang-up: {Bytes(sent)}");
    }

    private static async Task<(long Peak, TimeSpan Elapsed, bool AllCutOff)> MeasureAsync(DomainChecker checker, int checks)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var sampler = new PeakMemorySampler();
        var started = Stopwatch.GetTimestamp();
        var reports = await Task.WhenAll(Enumerable.Range(0, checks).Select(_ => checker.CheckAsync(CheckEnvironment.Domain)));
        var elapsed = Stopwatch.GetElapsedTime(started);
        return (sampler.Peak, elapsed, reports.All(r => r.Findings.Any(f => f.Code == FindingCodes.SmtpReplyTooLarge)));
    }
}
