using MonitorService.Benchmarks.Infrastructure;
using MonitorService.Benchmarks.Scale;

namespace MonitorService.Benchmarks;

/// <summary>Sections 3, 4 and 5 (TLS-RPT intake), on one throwaway PostgreSQL on this machine.</summary>
public static class ScaleBenchmarks
{
    public static async Task RunAsync(BenchOptions options, ResultTable table)
    {
        await using var postgres = await BenchPostgres.StartAsync();
        if (options.Sections.Contains("storage"))
            await new StorageBenchmark(options, table, postgres).RunAsync();
        if (options.Sections.Contains("scheduler"))
            await new SchedulerBenchmark(options, table, postgres).RunAsync();
        if (options.Sections.Contains("dashboard"))
            await new Dashboard.DashboardBenchmark(options, table, postgres).RunAsync();
        if (options.Sections.Contains("tlsrpt"))
            await new TlsRpt.TlsRptBenchmark(table, postgres).RunAsync();
        if (options.Sections.Contains("senders"))
            await new Dashboard.SendersPageBenchmark(options, table, postgres).RunAsync();
    }
}
