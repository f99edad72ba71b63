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

    private readonly Histogram<double> _passDuration;

    public ReconcileMetrics(IMeterFactory meters)
    {
        // The factory hands out one meter per name, so this is the same meter as MonitorMetrics'.
        var meter = meters.Create(MonitorMetrics.MeterName);
        _passDuration = meter.CreateHistogram<double>(PassDurationName, "s",
            "Time of one reconcile pass (pass=full: all domains, at start; pass=changes: domains changed since the last pass)");
    }

    public void PassCompleted(bool full, TimeSpan duration)
        => _passDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("pass", full ? "full" : "changes"));
}
