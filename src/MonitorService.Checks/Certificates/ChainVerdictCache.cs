using System.Collections.Concurrent;

namespace MonitorService.Checks.Certificates;

/// <summary>
/// Remembers for a few minutes whether a presented chain leads to a trusted root. Shared mail providers present the
/// same certificate to the checks of thousands of domains, and building an X.509 chain is the most expensive step
/// of a probe; the verdict does not change within minutes. Bounded: when full it starts over.
/// </summary>
internal sealed class ChainVerdictCache(TimeProvider time)
{
    private const int Capacity = 10_000;
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public (bool Trusted, IReadOnlyList<string> Errors) GetOrAdd(string chainKey, Func<(bool Trusted, IReadOnlyList<string> Errors)> evaluate)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(chainKey, out var cached) && now - cached.At < Lifetime)
            return cached.Verdict;
        var verdict = evaluate();
        if (_entries.Count >= Capacity)
            _entries.Clear();
        _entries[chainKey] = new Entry(verdict, now);
        return verdict;
    }

    private sealed record Entry((bool Trusted, IReadOnlyList<string> Errors) Verdict, DateTimeOffset At);
}
