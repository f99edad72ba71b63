namespace MonitorService.Benchmarks.Bulk;

/// <summary>One pass of one subject over the whole domain list: how long it took and how many domains came out healthy.</summary>
/// <param name="FirstProblem">The first domain that did not come out healthy, and why; null when all did.</param>
public sealed record SubjectRun(int Domains, int Ok, TimeSpan Elapsed, NetworkWork Work, string? FirstProblem = null)
{
    public double PerSecond => Domains / Elapsed.TotalSeconds;
}
