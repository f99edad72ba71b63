using System.Diagnostics;

namespace MonitorService.Benchmarks.Infrastructure;

/// <summary>What one closed-loop load run measured.</summary>
public sealed record LoadResult(int Concurrency, int Operations, int Failures, TimeSpan Elapsed, double P50Ms, double P95Ms, double P99Ms, long AllocatedBytes, long PeakWorkingSet)
{
    public double PerSecond => Operations / Elapsed.TotalSeconds;
    public double AllocatedPerOperation => Operations == 0 ? 0 : (double)AllocatedBytes / Operations;
}

/// <summary>
/// Closed-loop load: <c>concurrency</c> workers each run the operation back to back for a fixed time. Latency per
/// operation; allocations as the process-wide delta of <see cref="GC.GetTotalAllocatedBytes(bool)"/> (includes the
/// loopback servers' share, the same for every subject); peak working set sampled every 50 ms.
/// </summary>
public static class LoadRunner
{
    /// <param name="operation">Gets the operation's index; returns false for a failed operation.</param>
    public static async Task<LoadResult> RunAsync(int concurrency, TimeSpan warmup, TimeSpan duration, Func<int, Task<bool>> operation)
    {
        var next = -1;
        await RunForAsync(concurrency, warmup, operation, () => Interlocked.Increment(ref next), null);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var latencies = new List<double>[concurrency];
        for (var i = 0; i < concurrency; i++)
            latencies[i] = [];
        var failures = 0;
        using var peak = new PeakMemorySampler();
        var allocatedBefore = GC.GetTotalAllocatedBytes(true);
        var stopwatch = Stopwatch.StartNew();
        await RunForAsync(concurrency, duration, async index =>
        {
            var ok = await operation(index);
            if (!ok)
                Interlocked.Increment(ref failures);
            return ok;
        }, () => Interlocked.Increment(ref next), latencies);
        var elapsed = stopwatch.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(true) - allocatedBefore;

        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new LoadResult(concurrency, all.Length, failures, elapsed,
            Percentile(all, 0.50), Percentile(all, 0.95), Percentile(all, 0.99), allocated, peak.Peak);
    }

    private static async Task RunForAsync(int concurrency, TimeSpan duration, Func<int, Task<bool>> operation, Func<int> nextIndex, List<double>[]? latencies)
    {
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            while (Stopwatch.GetTimestamp() < end)
            {
                var started = Stopwatch.GetTimestamp();
                await operation(nextIndex());
                latencies?[worker].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }));
        await Task.WhenAll(workers);
    }

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
