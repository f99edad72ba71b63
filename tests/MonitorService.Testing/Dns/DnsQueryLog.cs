namespace MonitorService.Testing.Dns;

/// <summary>Thread-safe record of every well-formed query the server received.</summary>
internal sealed class DnsQueryLog
{
    private readonly Lock _gate = new();
    private readonly List<(string Name, string Type, bool Tcp)> _entries = [];

    public void Add(string name, ushort type, bool tcp)
    {
        lock (_gate)
        {
            _entries.Add((DnsName.Normalize(name), DnsRecordType.ToName(type), tcp));
        }
    }

    public IReadOnlyList<(string Name, string Type, bool Tcp)> Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries];
        }
    }

    public int Count(string name, string type, bool? tcp)
    {
        string key = DnsName.Normalize(name);
        string typeName = DnsRecordType.ToName(DnsRecordType.Parse(type));
        lock (_gate)
        {
            return _entries.Count(e => e.Name == key && e.Type == typeName && (tcp is null || e.Tcp == tcp));
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }
}
