using System.Diagnostics.Metrics;
using System.Threading.Channels;
using MonitorService.Observability;
using MonitorService.Scheduling;

namespace MonitorService.Benchmarks.Scale;

/// <summary>
/// Listens in this process for the reconciler's full passes (<see cref="ReconcileMetrics.PassDurationName"/>, pass=full):
/// the node reports itself when its first pass after start is done, so the benchmark needs no polling to time it.
/// </summary>
public sealed class ReconcilePassMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Channel<TimeSpan> _fullPasses = Channel.CreateUnbounded<TimeSpan>();

    public ReconcilePassMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MonitorMetrics.MeterName && instrument.Name == ReconcileMetrics.PassDurationName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "pass", Value: "full" })
                    _fullPasses.Writer.TryWrite(TimeSpan.FromSeconds(seconds));
            }
        });
        _listener.Start();
    }

    /// <summary>The duration of the next full pass reported, or null when none finished within <paramref name="limit"/>.</summary>
    public async Task<TimeSpan?> NextFullPassAsync(TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            return await _fullPasses.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return null;
        }
    }

    public void Dispose() => _listener.Dispose();
}
