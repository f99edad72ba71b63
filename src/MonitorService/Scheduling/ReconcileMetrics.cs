using System.Diagnostics.Metrics;
using MonitorService.Observability;

namespace MonitorService.Scheduling;

/// <summary>
/// How long the reconciler's passes take, on the service's meter (exported with the others at <c>/metrics</c>).
/// With many domains the first pass after start is the slow part of a node's start-up, so it is worth watching.
/// </summary>
public sealed class ReconcileMetrics
{
    public const string PassDurationName = "monitor.scheduler.reconcile.duration";
    public const string DomainsName = "monitor.scheduler.reconcile.domains";

    private readonly Histogram<double> _passDuration;
    private readonly Counter<long> _domains;

    public ReconcileMetrics(IMeterFactory meters)
    {
        // The factory hands out one meter per name, so this is the same meter as MonitorMetrics'.
        var meter = meters.Create(MonitorMetrics.MeterName);
        _passDuration = meter.CreateHistogram<double>(PassDurationName, "s",
            "Time of one reconcile pass (pass=full: all domains, at start; pass=changes: domains changed since the last pass)");
        _domains = meter.CreateCounter<long>(DomainsName, "{domain}",
            "Domains a reconcile pass handled, by outcome: created (in bulk), first_check, one_by_one (changed, off the grid, raced), unchanged, removed. " +
            "A restart with nothing changed counts only unchanged ones");
    }

    /// <summary>Counts what a pass did with its domains.</summary>
    public void Domains(bool full, ReconcileSummary summary)
    {
        Add(full, "created", summary.Created);
        Add(full, "first_check", summary.FirstChecks);
        Add(full, "one_by_one", summary.OneByOne);
        Add(full, "unchanged", summary.Unchanged);
        Add(full, "removed", summary.Removed);
    }

    private void Add(bool full, string outcome, int count)
    {
        if (count > 0)
        {
            _domains.Add(count, new KeyValuePair<string, object?>("pass", full ? "full" : "changes"), new KeyValuePair<string, object?>("outcome", outcome));
        }
    }

    public void PassCompleted(bool full, TimeSpan duration)
        => _passDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("pass", full ? "full" : "changes"));
}
