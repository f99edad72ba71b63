namespace MonitorService.Testing.Dns;

/// <summary>
/// A mutable, thread-safe authoritative zone for <see cref="TestDnsServer"/>. Names are case-insensitive
/// and a trailing dot is optional. Every name the test adds is treated as part of the zone, and so is every
/// name above one (an empty non-terminal: NODATA, RFC 8020); all other names do not exist (NXDOMAIN). A CNAME cannot share its name with other records (RFC 1034 3.6.2).
/// All mutators return the zone so calls can be chained.
/// </summary>
public sealed class TestDnsZone
{
    private const int MaxCnameChain = 16;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<ZoneEntry>> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DnsBehavior> _behaviors = new(StringComparer.Ordinal);
    private uint _ttl = 300;
    private bool _authoritative = true;
    private int _version;

    /// <summary>TTL written on every answer record (default 300 seconds).</summary>
    public uint Ttl
    {
        get { lock (_gate) { return _ttl; } }
        set { lock (_gate) { _ttl = value; } }
    }

    /// <summary>
    /// Whether answers carry the AA bit (default true). False makes the server answer like a lame delegation: a server
    /// named in NS records that does not hold the zone.
    /// </summary>
    public bool Authoritative
    {
        get { lock (_gate) { return _authoritative; } }
        set { lock (_gate) { _authoritative = value; } }
    }

    /// <summary>An NS record: <paramref name="server"/> serves the zone <paramref name="name"/>.</summary>
    public TestDnsZone AddNs(string name, string server) => Add(name, DnsRecordType.Ns, DnsRData.Name(server), null);

    /// <summary>The SOA record of the zone at <paramref name="name"/>, replacing any earlier one (a zone has one SOA).</summary>
    public TestDnsZone SetSoa(string name, uint serial)
    {
        Remove(name, DnsRecordType.Soa);
        return Add(name, DnsRecordType.Soa, DnsRData.Soa($"ns.{DnsName.Validate(name)}", $"hostmaster.{DnsName.Validate(name)}", serial), null);
    }

    public TestDnsZone AddA(string name, string address) => Add(name, DnsRecordType.A, DnsRData.A(address), null);

    public TestDnsZone AddAaaa(string name, string address) => Add(name, DnsRecordType.Aaaa, DnsRData.Aaaa(address), null);

    public TestDnsZone AddMx(string name, ushort preference, string exchange) =>
        Add(name, DnsRecordType.Mx, DnsRData.Mx(preference, exchange), null);

    /// <summary>One TXT record made of the given character-strings (UTF-8, each at most 255 bytes).</summary>
    public TestDnsZone AddTxt(string name, params string[] strings) => Add(name, DnsRecordType.Txt, DnsRData.Txt(strings), null);

    /// <summary>One TXT record made of raw character-strings (any bytes, each at most 255 bytes).</summary>
    public TestDnsZone AddTxt(string name, params byte[][] strings) => Add(name, DnsRecordType.Txt, DnsRData.Txt(strings), null);

    /// <summary>One TLSA record (type 52, RFC 6698), e.g. at <c>_25._tcp.mx.example.test</c> for DANE SMTP.</summary>
    public TestDnsZone AddTlsa(string name, byte usage, byte selector, byte matchingType, byte[] data) =>
        Add(name, DnsRecordType.Tlsa, DnsRData.Tlsa(usage, selector, matchingType, data), null);

    /// <summary>Sets the CNAME of <paramref name="name"/>; the name must not hold other records.</summary>
    public TestDnsZone AddCname(string name, string target) =>
        Add(name, DnsRecordType.Cname, DnsRData.Name(target), DnsName.Validate(target));

    /// <summary>Adds a record of any other type with pre-encoded RDATA (names inside must be uncompressed).</summary>
    public TestDnsZone AddRecord(string name, ushort type, byte[] rdata)
    {
        ArgumentNullException.ThrowIfNull(rdata);
        if (type is DnsRecordType.Cname or DnsRecordType.Opt or DnsRecordType.Any || rdata.Length > ushort.MaxValue)
        {
            throw new ArgumentException($"Cannot add a raw record of type {DnsRecordType.ToName(type)}.", nameof(type));
        }

        return Add(name, type, (byte[])rdata.Clone(), null);
    }

    /// <summary>Removes all records of <paramref name="type"/> ("A", "TXT", ...) at the name; returns how many.</summary>
    public int Remove(string name, string type) => Remove(name, DnsRecordType.Parse(type));

    /// <summary>Removes all records of <paramref name="type"/> at the name; returns how many.</summary>
    public int Remove(string name, ushort type)
    {
        string key = DnsName.Normalize(name);
        lock (_gate)
        {
            if (!_records.TryGetValue(key, out List<ZoneEntry>? entries))
            {
                return 0;
            }

            int removed = entries.RemoveAll(e => e.Type == type);
            _version++;
            if (entries.Count == 0)
            {
                _records.Remove(key);
            }

            return removed;
        }
    }

    /// <summary>Removes every record at the name (its behaviour is kept); the name then no longer exists.</summary>
    public TestDnsZone Clear(string name)
    {
        lock (_gate)
        {
            _records.Remove(DnsName.Normalize(name));
            _version++;
        }

        return this;
    }

    /// <summary>Removes every record and behaviour in the zone.</summary>
    public TestDnsZone ClearAll()
    {
        lock (_gate)
        {
            _records.Clear();
            _version++;
            _behaviors.Clear();
        }

        return this;
    }

    /// <summary>Sets how queries for <paramref name="name"/> (any type) are handled.</summary>
    public TestDnsZone SetBehavior(string name, DnsBehavior behavior)
    {
        string key = DnsName.Normalize(name);
        lock (_gate)
        {
            if (behavior == DnsBehavior.Normal)
            {
                _behaviors.Remove(key);
            }
            else
            {
                _behaviors[key] = behavior;
            }
        }

        return this;
    }

    public DnsBehavior GetBehavior(string name)
    {
        lock (_gate)
        {
            return _behaviors.GetValueOrDefault(DnsName.Normalize(name), DnsBehavior.Normal);
        }
    }

    /// <summary>
    /// Authoritative answer for one question: records of <paramref name="type"/> (ANY matches all), or
    /// the CNAME chain starting at the name followed by the final target's records. NXDOMAIN only when
    /// neither the question name nor any name below it has records; a chain ending outside the zone is NOERROR.
    /// </summary>
    internal DnsLookupResult Resolve(string questionName, ushort type)
    {
        lock (_gate)
        {
            var answers = new List<DnsRecord>();
            string owner = questionName;
            string key = DnsName.Normalize(questionName);
            var visited = new HashSet<string>(StringComparer.Ordinal) { key };
            for (int hop = 0; hop <= MaxCnameChain; hop++)
            {
                if (!_records.TryGetValue(key, out List<ZoneEntry>? entries))
                {
                    return new DnsLookupResult(hop == 0 && !HasNamesBelow(key) ? DnsRcode.NxDomain : DnsRcode.NoError, answers);
                }

                ZoneEntry? cname = entries.Find(e => e.Type == DnsRecordType.Cname);
                if (cname is null || type == DnsRecordType.Cname)
                {
                    answers.AddRange(entries
                        .Where(e => type == DnsRecordType.Any || e.Type == type)
                        .Select(e => new DnsRecord(owner, e.Type, _ttl, e.RData)));
                    break;
                }

                answers.Add(new DnsRecord(owner, cname.Type, _ttl, cname.RData));
                key = cname.Target!;
                owner = key;
                if (!visited.Add(key))
                {
                    break; // CNAME loop: return what we have
                }
            }

            return new DnsLookupResult(DnsRcode.NoError, answers);
        }
    }

    /// <summary>Changes with every change of the records: the signed hierarchy's indexes of names are rebuilt when it does.</summary>
    internal int Version
    {
        get { lock (_gate) { return _version; } }
    }

    /// <summary>The records at one name (normalised), for the signed hierarchy that serves this zone's data.</summary>
    internal IReadOnlyList<(ushort Type, byte[] RData)> RecordsAt(string name)
    {
        lock (_gate)
        {
            return _records.TryGetValue(DnsName.Normalize(name), out List<ZoneEntry>? entries)
                ? entries.Select(e => (e.Type, e.RData)).ToList()
                : [];
        }
    }

    /// <summary>Every name that holds records (normalised).</summary>
    internal IReadOnlyList<string> Names()
    {
        lock (_gate)
        {
            return [.. _records.Keys];
        }
    }

    private bool HasNamesBelow(string key) => _records.Keys.Any(name => name.EndsWith("." + key, StringComparison.Ordinal));

    private TestDnsZone Add(string name, ushort type, byte[] rdata, string? target)
    {
        string key = DnsName.Validate(name);
        lock (_gate)
        {
            if (!_records.TryGetValue(key, out List<ZoneEntry>? entries))
            {
                entries = [];
                _records[key] = entries;
            }

            bool hasCname = entries.Exists(e => e.Type == DnsRecordType.Cname);
            if (type == DnsRecordType.Cname ? entries.Count > 0 : hasCname)
            {
                throw new InvalidOperationException($"'{key}': a CNAME cannot coexist with other records at the same name.");
            }

            if (!entries.Exists(e => e.Type == type && e.RData.AsSpan().SequenceEqual(rdata)))
            {
                entries.Add(new ZoneEntry(type, rdata, target));
                _version++;
            }
        }

        return this;
    }

    private sealed record ZoneEntry(ushort Type, byte[] RData, string? Target);
}
