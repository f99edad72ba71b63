namespace MonitorService.Benchmarks.Bulk;

/// <summary>
/// One pass of one subject over the whole domain list: how long it took, the CPU time it cost and how many domains
/// came out healthy. CPU time is less at the mercy of other work on a shared machine than wall time.
/// </summary>
/// <param name="ProcessCpu">CPU time of this process during the pass: the subject if it runs here, and the loopback servers.</param>
/// <param name="ChildCpu">CPU time of a subject that runs in its own process (Node), as it reports it.</param>
/// <param name="FirstProblem">The first domain that did not come out healthy, and why; null when all did.</param>
public sealed record SubjectRun(int Domains, int Ok, TimeSpan Elapsed, TimeSpan ProcessCpu, TimeSpan ChildCpu, NetworkWork Work, string? FirstProblem = null)
{
    public double PerSecond => Domains / Elapsed.TotalSeconds;

    public double CpuMsPerDomain => (ProcessCpu + ChildCpu).TotalMilliseconds / Domains;

    public static TimeSpan ProcessCpuNow => System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
}
