using System.Diagnostics.Metrics;
using System.Threading.Channels;
using MonitorService.Observability;
using MonitorService.Scheduling;

namespace MonitorService.Benchmarks.Scale;

/// <summary>
/// Listens in this process for the reconciler's passes: full passes' durations (<see cref="ReconcileMetrics.PassDurationName"/>,
/// pass=full; the node reports itself when its first pass after start is done, so the benchmark needs no polling) and what
/// the passes did with their domains (<see cref="ReconcileMetrics.DomainsName"/>, by pass and outcome).
/// </summary>
public sealed class ReconcilePassMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Channel<TimeSpan> _fullPasses = Channel.CreateUnbounded<TimeSpan>();
    private readonly Dictionary<(string Pass, string Outcome), long> _domains = [];

    public ReconcilePassMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MonitorMetrics.MeterName && instrument.Name is ReconcileMetrics.PassDurationName or ReconcileMetrics.DomainsName)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            if (Tag(tags, "pass") == "full")
                _fullPasses.Writer.TryWrite(TimeSpan.FromSeconds(seconds));
        });
        _listener.SetMeasurementEventCallback<long>((_, count, tags, _) =>
        {
            var key = (Tag(tags, "pass") ?? "", Tag(tags, "outcome") ?? "");
            lock (_domains)
                _domains[key] = _domains.GetValueOrDefault(key) + count;
        });
        _listener.Start();
    }

    /// <summary>Domains counted since the last <see cref="TakeDomains"/>, by (pass, outcome).</summary>
    public Dictionary<(string Pass, string Outcome), long> TakeDomains()
    {
        lock (_domains)
        {
            var taken = new Dictionary<(string Pass, string Outcome), long>(_domains);
            _domains.Clear();
            return taken;
        }
    }

    /// <summary>Domains counted so far for one pass kind and outcome, without resetting.</summary>
    public long Domains(string pass, string outcome)
    {
        lock (_domains)
            return _domains.GetValueOrDefault((pass, outcome));
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

    private static string? Tag(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == name)
                return tag.Value as string;
        }
        return null;
    }

    public void Dispose() => _listener.Dispose();
}
