using System.Diagnostics;
using MonitorService.Benchmarks.Engine;
using MonitorService.Testing;

namespace MonitorService.Benchmarks.Bulk;

/// <summary>The bare network baseline over the list: <see cref="BareCheck"/> per domain, <c>concurrency</c> at once.</summary>
public sealed class BareListRun(CheckEnvironment env, IReadOnlyList<string> domains, int concurrency)
{
    public async Task<SubjectRun> RunAsync(bool startTls)
    {
        var bare = new BareCheck(env, startTls);
        var next = -1;
        var ok = 0;
        NetworkWork.Reset(env);
        var cpu = SubjectRun.ProcessCpuNow;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < domains.Count)
            {
                // UDP has no retry here: a lost datagram would stall the worker, so bound it like the engine's timeout.
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                try
                {
                    await bare.CheckAsync(domains[i], timeout.Token);
                    Interlocked.Increment(ref ok);
                }
                catch (OperationCanceledException)
                {
                }
            }
        })));
        var elapsed = stopwatch.Elapsed;
        return new SubjectRun(domains.Count, ok, elapsed, SubjectRun.ProcessCpuNow - cpu, TimeSpan.Zero, NetworkWork.Read(env),
            ok == domains.Count ? null : $"{domains.Count - ok} timed out (lost UDP datagram)");
    }
}
