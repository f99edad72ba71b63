using System.Diagnostics;

namespace MonitorService.Benchmarks.Infrastructure;

/// <summary>Samples the process working set every 50 ms until disposed; <see cref="Peak"/> is the largest seen.</summary>
public sealed class PeakMemorySampler : IDisposable
{
    private readonly Timer _timer;
    private long _peak;

    public PeakMemorySampler()
    {
        Sample();
        _timer = new Timer(_ => Sample(), null, 50, 50);
    }

    public long Peak
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peak);
        }
    }

    private void Sample()
    {
        using var process = Process.GetCurrentProcess();
        var current = process.WorkingSet64;
        long seen;
        while (current > (seen = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, current, seen) != seen)
        {
        }
    }

    public void Dispose() => _timer.Dispose();
}
