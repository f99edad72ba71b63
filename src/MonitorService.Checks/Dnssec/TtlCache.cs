using System.Collections.Concurrent;

namespace MonitorService.Checks.Dnssec;

/// <summary>The validated state of one zone's keys: secure with its DNSKEYs, provably insecure, or not usable.</summary>
internal sealed record ZoneKeys(DomainLabels Zone, DnssecVerdict Verdict, IReadOnlyList<DnsKey> Keys, TimeSpan Ttl);

/// <summary>
/// Validated results per name, each kept for the TTL it was validated with (the smallest TTL of the records on the
/// way, at most an hour): a bulk check of thousands of domains under one TLD validates the TLD's keys once per TTL,
/// not once per domain. Bounded in entries; when full, expired entries go first, then everything (a refill costs
/// queries, an unbounded cache costs memory that a hostile set of zones could grow).
/// </summary>
internal sealed class TtlCache<T>(int maxEntries, TimeProvider time)
{
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<DomainLabels, (T Value, DateTimeOffset Expires)> _entries = new();

    public int Count => _entries.Count;

    public bool TryGet(DomainLabels key, out T value)
    {
        value = default!;
        if (!_entries.TryGetValue(key, out var entry))
            return false;
        if (time.GetUtcNow() >= entry.Expires)
        {
            _entries.TryRemove(key, out _);
            return false;
        }
        value = entry.Value;
        return true;
    }

    public void Add(DomainLabels key, T value, TimeSpan ttl)
    {
        if (ttl <= TimeSpan.Zero)
            return;
        var now = time.GetUtcNow();
        if (_entries.Count >= maxEntries)
        {
            foreach (var (name, entry) in _entries)
            {
                if (now >= entry.Expires)
                    _entries.TryRemove(name, out _);
            }
            if (_entries.Count >= maxEntries)
                _entries.Clear();
        }
        _entries[key] = (value, now + (ttl < MaxTtl ? ttl : MaxTtl));
    }
}
