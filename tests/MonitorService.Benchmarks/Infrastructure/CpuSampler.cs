using System.Diagnostics;
using System.Globalization;

namespace MonitorService.Benchmarks.Infrastructure;

/// <summary>Busy share of the whole machine (/proc/stat: PostgreSQL and anyone else included) and of this process.</summary>
public sealed class CpuSampler
{
    private readonly (long Busy, long Total) _machine = Machine();
    private readonly TimeSpan _process = Process.GetCurrentProcess().TotalProcessorTime;
    private readonly long _started = Stopwatch.GetTimestamp();

    public (double Machine, double Process) Stop()
    {
        var (busy, total) = Machine();
        var wall = Stopwatch.GetElapsedTime(_started);
        var process = (Process.GetCurrentProcess().TotalProcessorTime - _process) / (wall * Environment.ProcessorCount);
        return (total == _machine.Total ? 0 : (double)(busy - _machine.Busy) / (total - _machine.Total), process);
    }

    private static (long Busy, long Total) Machine()
    {
        if (!File.Exists("/proc/stat"))
            return (0, 0);
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + fields[4];
        var total = fields.Sum();
        return (total - idle, total);
    }
}
