using MonitorService.Benchmarks.Infrastructure;

namespace MonitorService.Benchmarks;

/// <summary>Sections 3 and 4, on one throwaway PostgreSQL on this machine.</summary>
public static class ScaleBenchmarks
{
    public static Task RunAsync(BenchOptions options, ResultTable table) => Task.CompletedTask;
}
