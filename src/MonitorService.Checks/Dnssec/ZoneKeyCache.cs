using System.Collections.Concurrent;

namespace MonitorService.Checks.Dnssec;

/// <summary>The validated state of one zone's keys: secure with its DNSKEYs, provably insecure, or not usable.</summary>
internal sealed record ZoneKeys(DomainLabels Zone, DnssecVerdict Verdict, IReadOnlyList<DnsKey> Keys, TimeSpan Ttl);

/// <summary>
/// Validated DNSKEY/DS outcomes per zone, each kept for the TTL it was validated with (the smallest TTL of the DS and
/// DNSKEY RRsets on the way, at most an hour): a bulk check of thousands of domains under one TLD validates the TLD's
/// keys once per TTL, not once per domain. Bounded in entries; when full, expired entries go first, then everything
/// (a cache refill costs queries, an unbounded cache costs memory a hostile zone set could grow).
/// </summary>
internal sealed class ZoneKeyCache(int maxEntries, TimeProvider time)
{
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<DomainLabels, (ZoneKeys Keys, DateTimeOffset Expires)> _entries = new();

    public int Count => _entries.Count;

    public bool TryGet(DomainLabels zone, out ZoneKeys keys)
    {
        keys = null!;
        if (!_entries.TryGetValue(zone, out var entry))
            return false;
        if (time.GetUtcNow() >= entry.Expires)
        {
            _entries.TryRemove(zone, out _);
            return false;
        }
        keys = entry.Keys;
        return true;
    }

    /// <summary>Keeps secure and insecure outcomes only: a bogus or failed chain is asked again next time, so a fix shows at once.</summary>
    public void Add(ZoneKeys keys)
    {
        if (keys.Verdict.Status is not (Dns.DnssecStatus.Secure or Dns.DnssecStatus.Insecure) || keys.Ttl <= TimeSpan.Zero)
            return;
        var now = time.GetUtcNow();
        if (_entries.Count >= maxEntries)
        {
            foreach (var (zone, entry) in _entries)
            {
                if (now >= entry.Expires)
                    _entries.TryRemove(zone, out _);
            }
            if (_entries.Count >= maxEntries)
                _entries.Clear();
        }
        _entries[keys.Zone] = (keys, now + (keys.Ttl < MaxTtl ? keys.Ttl : MaxTtl));
    }
}
