namespace MonitorService.Scheduling;

/// <summary>
/// Spaces the first checks of new domains on this node at most <see cref="SchedulingOptions.FirstChecksPerSecond"/> apart.
/// One domain added gets its first check now; a team pasting thousands gets theirs spread over minutes, behind the checks
/// already due rather than in front of them (Quartz fires the earliest due trigger first, so thousands of first checks due
/// "now" would make every regular check wait its turn).
/// </summary>
public sealed class FirstCheckPacer(SchedulingOptions options, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private DateTimeOffset _nextFree = DateTimeOffset.MinValue;

    private TimeSpan Spacing => TimeSpan.FromSeconds(1 / options.FirstChecksPerSecond);

    /// <summary>The time for the next first check: now, or the next free slot when many were handed out just before.</summary>
    public DateTimeOffset Next()
    {
        var now = clock.GetUtcNow();
        lock (_gate)
        {
            var slot = _nextFree > now ? _nextFree : now;
            _nextFree = slot + Spacing;
            return slot;
        }
    }
}
