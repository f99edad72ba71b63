namespace MonitorService.Checks.Net;

/// <summary>
/// At most N holders per key at once. Shared mail providers serve thousands of domains from the same MX servers, so
/// checks of many domains must not pile onto one server; keys that nobody holds are forgotten, so memory stays bounded
/// by the number of servers being probed right now.
/// </summary>
public sealed class KeyedConcurrencyLimiter(int perKey)
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);

    public int PerKey => perKey;

    public async Task<IDisposable> AcquireAsync(string key, CancellationToken cancellationToken)
    {
        Entry entry;
        lock (_entries)
        {
            if (!_entries.TryGetValue(key, out entry!))
                _entries[key] = entry = new Entry(new SemaphoreSlim(perKey, perKey));
            entry.Users++;
        }
        try
        {
            await entry.Semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            Leave(key, entry, held: false);
            throw;
        }
        return new Lease(this, key, entry);
    }

    /// <summary>How many keys are in use (held or waited for); for tests.</summary>
    public int ActiveKeys
    {
        get
        {
            lock (_entries)
                return _entries.Count;
        }
    }

    private void Leave(string key, Entry entry, bool held)
    {
        if (held)
            entry.Semaphore.Release();
        lock (_entries)
        {
            if (--entry.Users == 0)
            {
                _entries.Remove(key);
                entry.Semaphore.Dispose();
            }
        }
    }

    private sealed class Entry(SemaphoreSlim semaphore)
    {
        public SemaphoreSlim Semaphore { get; } = semaphore;
        public int Users { get; set; }
    }

    private sealed class Lease(KeyedConcurrencyLimiter owner, string key, Entry entry) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                owner.Leave(key, entry, held: true);
        }
    }
}
