using System.Diagnostics.Metrics;
using MonitorService.Observability;

namespace MonitorService.Benchmarks.Scale;

/// <summary>Listens to the service's own metrics in this process: checks completed and scheduler dispatch lag.</summary>
public sealed class CheckMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(DateTimeOffset Scheduled, double Lag)> _lags = [];
    private long _checks;

    public CheckMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MonitorMetrics.MeterName && instrument.Name is "monitor.checks" or "monitor.scheduler.lag")
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _checks, value));
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            // Recorded as the check starts: its trigger's time is that long ago.
            var scheduled = DateTimeOffset.UtcNow - TimeSpan.FromSeconds(value);
            lock (_lags)
                _lags.Add((scheduled, value));
        });
        _listener.Start();
    }

    public long Checks => Interlocked.Read(ref _checks);

    /// <summary>Lags recorded since the last call, in seconds, sorted.</summary>
    public double[] TakeLags() => [.. TakeLagsWithTimes().Select(l => l.Lag).Order()];

    /// <summary>Lags recorded since the last call, each with the time its trigger was due.</summary>
    public List<(DateTimeOffset Scheduled, double Lag)> TakeLagsWithTimes()
    {
        lock (_lags)
        {
            var taken = _lags.ToList();
            _lags.Clear();
            return taken;
        }
    }

    public void Dispose() => _listener.Dispose();
}
