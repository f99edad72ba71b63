using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace MonitorService.Testing.Dns.Dnssec;

/// <summary>
/// A signed DNS hierarchy served by <see cref="TestDnsServer"/> as if it were a recursive resolver: a test root, a TLD,
/// domains below, each zone signed on the fly with its own key, DS records in the parent, SOA and NSEC or NSEC3 proofs
/// in negative answers, RRSIGs only when the query sets the DO bit. The data (TXT, MX, A, TLSA, ...) is the server's
/// <see cref="TestDnsZone"/>; names outside every zone of the hierarchy are answered from that zone as before.
/// Trust it through <see cref="TrustAnchorText"/> (the root zone's DS).
/// </summary>
public sealed class TestDnssecHierarchy : IDisposable
{
    private const ushort ClassIn = 1;
    private const int MaxCnameHops = 8;

    private readonly TestDnsZone _data;
    private readonly Lock _gate = new();
    private readonly List<TestSignedZone> _zones = [];
    // Indexes rebuilt only when the data or a zone's settings change: a benchmark's thousands of names must not be
    // listed and sorted again for every negative answer. Signatures are kept per RRset, content and minute.
    private readonly Dictionary<string, List<string>> _namesByZone = [];
    private readonly Dictionary<string, List<(string Name, byte[] Hash)>> _nsec3ByZone = [];
    private readonly Dictionary<string, byte[]> _signatures = [];
    private readonly Dictionary<string, HashSet<string>> _existingByZone = [];
    private string _indexKey = "";

    public TestDnssecHierarchy(TestDnsZone data) => _data = data;

    /// <summary>The signer's clock: signatures are valid from an hour before it to a week after it.</summary>
    public Func<DateTimeOffset> Now { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>A root, the TLD <c>test</c> and <paramref name="domains"/> below it, all signed with <paramref name="algorithm"/>.</summary>
    public static TestDnssecHierarchy Standard(TestDnsZone data, byte algorithm = 13, params string[] domains)
    {
        var hierarchy = new TestDnssecHierarchy(data);
        hierarchy.AddZone(".", algorithm);
        hierarchy.AddZone("test", algorithm);
        foreach (var domain in domains.Length > 0 ? domains : ["example.test"])
        {
            hierarchy.AddZone(domain, algorithm);
        }

        return hierarchy;
    }

    /// <summary>Adds a zone; <paramref name="algorithm"/> 0 makes it unsigned (its parent then publishes no DS).</summary>
    public TestSignedZone AddZone(string apex, byte algorithm = 13)
    {
        var zone = new TestSignedZone(apex, algorithm == 0 ? null : new TestZoneKey(algorithm));
        lock (_gate)
        {
            _zones.RemoveAll(z => z.Apex == zone.Apex);
            _zones.Add(zone);
        }

        return zone;
    }

    public TestSignedZone Zone(string apex)
    {
        lock (_gate)
        {
            return _zones.Single(z => z.Apex == DnsName.Normalize(apex));
        }
    }

    /// <summary>The root zone's DS in presentation format: the trust anchor for validators of this hierarchy.</summary>
    public string TrustAnchorText()
    {
        var root = Zone(".");
        var key = root.Key ?? throw new InvalidOperationException("The test root is unsigned.");
        return $". 3600 IN DS {key.KeyTag} {key.Algorithm} 2 {Convert.ToHexString(key.DsRData(".").AsSpan(4))}";
    }

    /// <summary>Writes <see cref="TrustAnchorText"/> to a file and returns its path.</summary>
    public string WriteTrustAnchorFile(string? path = null)
    {
        path ??= Path.Combine(Path.GetTempPath(), $"monitor-test-anchor-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, TrustAnchorText() + "\n");
        return path;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var zone in _zones)
            {
                zone.Dispose();
            }
        }
    }

    /// <summary>The answer when the hierarchy holds the name; null when no zone of it does.</summary>
    internal DnsLookupResult? Resolve(string questionName, ushort type, bool dnssecOk)
    {
        lock (_gate)
        {
            var answers = new List<DnsRecord>();
            string name = DnsName.Normalize(questionName);
            string owner = questionName.TrimEnd('.');
            for (int hop = 0; hop <= MaxCnameHops; hop++)
            {
                TestSignedZone? zone = ZoneFor(name, type);
                if (zone is null)
                {
                    return hop == 0 ? null : new DnsLookupResult(DnsRcode.NoError, answers);
                }

                Dictionary<ushort, List<byte[]>> sets = RecordsAt(zone, name);
                uint ttl = DataTtl(zone, name, type);
                if (type != DnsRecordType.Any && sets.TryGetValue(type, out List<byte[]>? rdatas))
                {
                    AddRRset(answers, zone, owner, type, rdatas, ttl, dnssecOk);
                    return new DnsLookupResult(DnsRcode.NoError, answers);
                }

                if (sets.TryGetValue(DnsRecordType.Cname, out List<byte[]>? cname) && type != DnsRecordType.Cname)
                {
                    AddRRset(answers, zone, owner, DnsRecordType.Cname, cname, _data.Ttl, dnssecOk);
                    int offset = 0;
                    name = ReadName(cname[0], ref offset);
                    owner = name;
                    continue;
                }

                bool exists = Exists(zone, name);
                var authority = new List<DnsRecord>();
                AddRRset(authority, zone, zone.Apex, DnsRecordType.Soa, [Soa(zone)], zone.KeyTtl, dnssecOk);
                if (dnssecOk && zone.Signed)
                {
                    foreach (var (proofOwner, proofType, rdata) in Proofs(zone, name, exists))
                    {
                        AddRRset(authority, zone, proofOwner, proofType, [rdata], zone.KeyTtl, dnssecOk);
                    }
                }

                return new DnsLookupResult(exists ? DnsRcode.NoError : DnsRcode.NxDomain, answers) { Authority = authority };
            }

            return new DnsLookupResult(DnsRcode.NoError, answers);
        }
    }

    private uint DataTtl(TestSignedZone zone, string name, ushort type) =>
        type is DnsRecordType.Dnskey or DnsRecordType.Ds or DnsRecordType.Soa || (type == DnsRecordType.Ns && (name == zone.Apex || IsChildApex(zone, name)))
            ? zone.KeyTtl
            : _data.Ttl;

    /// <summary>The deepest zone holding the name; a DS question about a zone's apex goes to its parent, as in real DNS.</summary>
    private TestSignedZone? ZoneFor(string name, ushort type)
    {
        TestSignedZone? deepest = _zones.Where(z => IsAtOrBelow(name, z.Apex)).MaxBy(z => LabelCount(z.Apex));
        if (deepest is not null && type == DnsRecordType.Ds && name == deepest.Apex && deepest.Apex.Length > 0)
        {
            return Parent(deepest);
        }

        return deepest;
    }

    private TestSignedZone? Parent(TestSignedZone zone) =>
        _zones.Where(z => z != zone && IsBelow(zone.Apex, z.Apex)).MaxBy(z => LabelCount(z.Apex));

    private IEnumerable<TestSignedZone> Children(TestSignedZone zone) => _zones.Where(z => z != zone && Parent(z) == zone);

    private bool IsChildApex(TestSignedZone zone, string name) => Children(zone).Any(c => c.Apex == name);

    private bool InZone(TestSignedZone zone, string name) =>
        IsAtOrBelow(name, zone.Apex) && !Children(zone).Any(c => IsBelow(name, c.Apex));

    /// <summary>The RRsets at a name as the zone serves them: a child's apex holds only the delegation (NS, DS).</summary>
    private Dictionary<ushort, List<byte[]>> RecordsAt(TestSignedZone zone, string name)
    {
        var sets = new Dictionary<ushort, List<byte[]>>();
        TestSignedZone? child = Children(zone).FirstOrDefault(c => c.Apex == name);
        if (child is not null)
        {
            sets[DnsRecordType.Ns] = [DnsName.Encode(NsName(child))];
            if (child.Signed && child.DsInParent)
            {
                byte[] ds = child.Key!.DsRData(child.Apex);
                if (child.ParentDsAlgorithm is byte algorithm)
                {
                    ds[2] = algorithm;
                }

                sets[DnsRecordType.Ds] = [ds];
            }

            return sets;
        }

        if (!InZone(zone, name))
        {
            return sets;
        }

        foreach (var (type, rdata) in _data.RecordsAt(name))
        {
            if (!sets.TryGetValue(type, out List<byte[]>? list))
            {
                sets[type] = list = [];
            }

            list.Add(rdata);
        }

        if (name == zone.Apex)
        {
            sets[DnsRecordType.Soa] = [Soa(zone)];
            sets[DnsRecordType.Ns] = [DnsName.Encode(NsName(zone))];
            if (zone.Signed)
            {
                sets[DnsRecordType.Dnskey] = [zone.Key!.DnskeyRData];
            }
        }

        return sets;
    }

    /// <summary>Names holding records in the zone (apex, data, delegation points), sorted in canonical order.</summary>
    private List<string> ZoneNames(TestSignedZone zone)
    {
        RefreshIndexes();
        if (!_namesByZone.TryGetValue(zone.Apex, out List<string>? names))
        {
            names = BuildZoneNames(zone);
            names.Sort(CanonicalOrder.Instance);
            _namesByZone[zone.Apex] = names;
        }

        return names;
    }

    private void RefreshIndexes()
    {
        string key = _data.Version + "|" + string.Join(";", _zones.Select(z =>
            $"{z.Apex},{z.Signed},{z.DsInParent},{z.ParentDsAlgorithm},{z.Denial},{z.Nsec3Iterations},{z.CorruptSignatures},{z.ExpiredSince},{z.KeyTtl},{z.Key?.KeyTag}"));
        if (key != _indexKey)
        {
            _indexKey = key;
            _namesByZone.Clear();
            _nsec3ByZone.Clear();
            _signatures.Clear();
            _existingByZone.Clear();
        }
    }

    private List<string> BuildZoneNames(TestSignedZone zone)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { zone.Apex };
        foreach (string name in _data.Names())
        {
            if (InZone(zone, name))
            {
                names.Add(name);
            }
        }

        foreach (TestSignedZone child in Children(zone))
        {
            names.Add(child.Apex);
        }

        return names.Where(n => RecordsAt(zone, n).Count > 0).ToList();
    }

    /// <summary>The name holds records in the zone or is an empty non-terminal above such a name.</summary>
    private bool Exists(TestSignedZone zone, string name)
    {
        RefreshIndexes();
        if (!_existingByZone.TryGetValue(zone.Apex, out HashSet<string>? existing))
        {
            existing = new HashSet<string>(StringComparer.Ordinal);
            foreach (string n in ZoneNames(zone))
            {
                for (string a = n; existing.Add(a) && a != zone.Apex && a.Length > 0; a = ParentName(a))
                {
                }
            }

            _existingByZone[zone.Apex] = existing;
        }

        return existing.Contains(name);
    }

    private List<(string Name, byte[] Hash)> Nsec3Chain(TestSignedZone zone, bool optOut)
    {
        RefreshIndexes();
        if (_nsec3ByZone.TryGetValue(zone.Apex, out var cached))
        {
            return cached;
        }

        var included = ZoneNames(zone)
            .Where(n => !(optOut && IsChildApex(zone, n) && !RecordsAt(zone, n).ContainsKey(DnsRecordType.Ds)))
            .ToList();
        // Empty non-terminals get NSEC3 records of their own (RFC 5155 §7.1).
        var all = new HashSet<string>(included, StringComparer.Ordinal);
        foreach (string n in included)
        {
            for (string a = ParentName(n); IsBelow(a, zone.Apex) || a == zone.Apex; a = ParentName(a))
            {
                all.Add(a);
                if (a == zone.Apex)
                {
                    break;
                }
            }
        }

        var chain = all.Select(n => (Name: n, Hash: Nsec3Hash(n, zone.Nsec3Iterations))).OrderBy(e => e.Hash, ByteOrder.Instance).ToList();
        _nsec3ByZone[zone.Apex] = chain;
        return chain;
    }

    private void AddRRset(List<DnsRecord> section, TestSignedZone zone, string owner, ushort type, List<byte[]> rdatas, uint ttl, bool dnssecOk)
    {
        foreach (byte[] rdata in rdatas)
        {
            section.Add(new DnsRecord(owner, type, ttl, rdata));
        }

        bool unsignedDelegation = type == DnsRecordType.Ns && DnsName.Normalize(owner) != zone.Apex;
        bool stripped = zone.StripSignatures && type != DnsRecordType.Dnskey;
        if (dnssecOk && zone.Signed && !unsignedDelegation && !stripped)
        {
            section.Add(new DnsRecord(owner, DnsRecordType.Rrsig, ttl, Sign(zone, owner, type, rdatas, ttl)));
        }
    }

    /// <summary>RRSIG RDATA over one RRset (RFC 4034 §3.1, signed data per §3.1.8.1).</summary>
    private byte[] Sign(TestSignedZone zone, string owner, ushort type, List<byte[]> rdatas, uint ttl)
    {
        RefreshIndexes();
        // Whole minutes, so that signatures can be reused within one and a manual clock still decides validity.
        DateTimeOffset now = Now();
        now = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMinute), now.Offset);
        string cacheKey = $"{zone.Apex}|{DnsName.Normalize(owner)}|{type}|{ttl}|{now.Ticks}|{string.Join(",", rdatas.Select(Convert.ToHexString))}";
        if (_signatures.TryGetValue(cacheKey, out byte[]? cached))
        {
            return cached;
        }

        if (_signatures.Count > 100_000)
        {
            _signatures.Clear();
        }

        byte[] rrsig = SignNow(zone, owner, type, rdatas, ttl, now);
        _signatures[cacheKey] = rrsig;
        return rrsig;
    }

    private static byte[] SignNow(TestSignedZone zone, string owner, ushort type, List<byte[]> rdatas, uint ttl, DateTimeOffset now)
    {
        DateTimeOffset inception = now.AddHours(-1);
        DateTimeOffset expiration = now.AddDays(7);
        bool data = type != DnsRecordType.Dnskey;
        if (data && zone.ExpiredSince is TimeSpan since)
        {
            expiration = now - since;
            inception = expiration.AddDays(-30);
        }

        string normalized = DnsName.Normalize(owner);
        var prefix = new List<byte>();
        AppendUInt16(prefix, type);
        prefix.Add(zone.Key!.Algorithm);
        prefix.Add((byte)LabelCount(normalized));
        AppendUInt32(prefix, ttl);
        AppendUInt32(prefix, (uint)expiration.ToUnixTimeSeconds());
        AppendUInt32(prefix, (uint)inception.ToUnixTimeSeconds());
        AppendUInt16(prefix, zone.Key.KeyTag);
        prefix.AddRange(DnsName.Encode(zone.Apex));

        var signed = new List<byte>(prefix);
        byte[] ownerWire = DnsName.Encode(normalized);
        foreach (byte[] rdata in rdatas.OrderBy(r => r, ByteOrder.Instance))
        {
            signed.AddRange(ownerWire);
            AppendUInt16(signed, type);
            AppendUInt16(signed, ClassIn);
            AppendUInt32(signed, ttl);
            AppendUInt16(signed, (ushort)rdata.Length);
            signed.AddRange(rdata);
        }

        byte[] signature = zone.Key.Sign([.. signed]);
        if (data && zone.CorruptSignatures)
        {
            signature[^1] ^= 0x5A;
        }

        return [.. prefix, .. signature];
    }

    private IEnumerable<(string Owner, ushort Type, byte[] RData)> Proofs(TestSignedZone zone, string name, bool exists)
    {
        var proofs = zone.Denial == TestDenial.Nsec ? NsecProofs(zone, name, exists) : Nsec3Proofs(zone, name, exists);
        return proofs.DistinctBy(p => (p.Item1, p.Item2));
    }

    private IEnumerable<(string, ushort, byte[])> NsecProofs(TestSignedZone zone, string name, bool exists)
    {
        List<string> names = ZoneNames(zone);
        (string, ushort, byte[]) NsecAt(int index)
        {
            string owner = names[index];
            string next = names[(index + 1) % names.Count];
            var types = RecordsAt(zone, owner).Keys.Append(DnsRecordType.Nsec).Append(DnsRecordType.Rrsig);
            return (owner, DnsRecordType.Nsec, [.. DnsName.Encode(next), .. TypeBitmap(types)]);
        }

        int Covering(string target)
        {
            int found = names.BinarySearch(target, CanonicalOrder.Instance);
            int index = (found >= 0 ? found : ~found) - 1;
            return index < 0 ? names.Count - 1 : index;
        }

        int exact = names.IndexOf(name);
        if (exists)
        {
            yield return exact >= 0 ? NsecAt(exact) : NsecAt(Covering(name));
            yield break;
        }

        yield return NsecAt(Covering(name));
        yield return NsecAt(Covering("*." + ClosestEncloser(zone, name)));
    }

    private IEnumerable<(string, ushort, byte[])> Nsec3Proofs(TestSignedZone zone, string name, bool exists)
    {
        bool optOut = zone.Denial == TestDenial.Nsec3OptOut;
        var chain = Nsec3Chain(zone, optOut);
        (string, ushort, byte[]) RecordAt(int index)
        {
            var (entryName, hash) = chain[index];
            byte[] next = chain[(index + 1) % chain.Count].Hash;
            var types = RecordsAt(zone, entryName).Keys.ToList();
            bool signedHere = types.Count > 0 && !(IsChildApex(zone, entryName) && !types.Contains(DnsRecordType.Ds));
            if (signedHere)
            {
                types.Add(DnsRecordType.Rrsig);
            }

            var rdata = new List<byte> { 1, (byte)(optOut ? 1 : 0) };
            AppendUInt16(rdata, zone.Nsec3Iterations);
            rdata.Add(0);
            rdata.Add((byte)next.Length);
            rdata.AddRange(next);
            rdata.AddRange(TypeBitmap(types));
            string owner = Base32Hex(hash) + (zone.Apex.Length > 0 ? "." + zone.Apex : "");
            return (owner, DnsRecordType.Nsec3, [.. rdata]);
        }

        int Match(string target) => chain.FindIndex(e => e.Name == target);
        int Cover(string target)
        {
            byte[] hash = Nsec3Hash(target, zone.Nsec3Iterations);
            int index = chain.FindLastIndex(e => ByteOrder.Instance.Compare(e.Hash, hash) < 0);
            return index < 0 ? chain.Count - 1 : index;
        }

        int match = Match(name);
        if (match >= 0)
        {
            yield return RecordAt(match);
            yield break;
        }

        // Closest encloser proof (RFC 5155 §7.2.1): the encloser matches, the next closer name is covered.
        string encloser = ParentName(name);
        string nextCloser = name;
        while (Match(encloser) < 0 && encloser != zone.Apex)
        {
            nextCloser = encloser;
            encloser = ParentName(encloser);
        }

        yield return RecordAt(Match(encloser));
        yield return RecordAt(Cover(nextCloser));
        if (!exists)
        {
            yield return RecordAt(Cover("*." + encloser));
        }
    }

    private string ClosestEncloser(TestSignedZone zone, string name)
    {
        string candidate = ParentName(name);
        while (!Exists(zone, candidate) && candidate != zone.Apex)
        {
            candidate = ParentName(candidate);
        }

        return candidate;
    }

    private static byte[] Soa(TestSignedZone zone)
    {
        var rdata = new List<byte>();
        rdata.AddRange(DnsName.Encode(NsName(zone)));
        rdata.AddRange(DnsName.Encode(zone.Apex.Length > 0 ? "hostmaster." + zone.Apex : "hostmaster"));
        foreach (uint value in new uint[] { 2026113001, 3600, 600, 86400, 300 })
        {
            AppendUInt32(rdata, value);
        }

        return [.. rdata];
    }

    private static string NsName(TestSignedZone zone) => zone.Apex.Length > 0 ? "ns." + zone.Apex : "ns.root-servers.test";

    /// <summary>Type bit maps (RFC 4034 §4.1.2): per window of 256 types, the bytes up to the last set bit.</summary>
    private static byte[] TypeBitmap(IEnumerable<ushort> types)
    {
        var output = new List<byte>();
        foreach (var window in types.Distinct().GroupBy(t => t >> 8).OrderBy(g => g.Key))
        {
            var bits = new byte[32];
            foreach (ushort t in window)
            {
                bits[(t & 0xFF) / 8] |= (byte)(0x80 >> (t % 8));
            }

            int length = Array.FindLastIndex(bits, b => b != 0) + 1;
            output.Add((byte)window.Key);
            output.Add((byte)length);
            output.AddRange(bits.Take(length));
        }

        return [.. output];
    }

    private static byte[] Nsec3Hash(string name, ushort iterations)
    {
        byte[] digest = SHA1.HashData(DnsName.Encode(name));
        for (int i = 0; i < iterations; i++)
        {
            digest = SHA1.HashData(digest);
        }

        return digest;
    }

    private static string Base32Hex(byte[] data)
    {
        const string alphabet = "0123456789abcdefghijklmnopqrstuv";
        var text = new System.Text.StringBuilder();
        for (int bit = 0; bit < data.Length * 8; bit += 5)
        {
            int value = 0;
            for (int i = 0; i < 5; i++)
            {
                int b = bit + i;
                value = (value << 1) | (b < data.Length * 8 ? (data[b / 8] >> (7 - (b % 8))) & 1 : 0);
            }

            text.Append(alphabet[value]);
        }

        return text.ToString();
    }

    private static string ReadName(byte[] rdata, ref int offset)
    {
        var labels = new List<string>();
        while (rdata[offset] != 0)
        {
            labels.Add(System.Text.Encoding.Latin1.GetString(rdata, offset + 1, rdata[offset]));
            offset += rdata[offset] + 1;
        }

        offset++;
        return DnsName.Normalize(string.Join('.', labels));
    }

    private static int LabelCount(string name)
    {
        if (name.Length == 0)
        {
            return 0;
        }

        int count = name.Count(c => c == '.') + 1;
        return name.StartsWith("*.", StringComparison.Ordinal) || name == "*" ? count - 1 : count;
    }

    private static string ParentName(string name)
    {
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? "" : name[(dot + 1)..];
    }

    private static bool IsAtOrBelow(string name, string apex) => apex.Length == 0 || name == apex || name.EndsWith("." + apex, StringComparison.Ordinal);

    private static bool IsBelow(string name, string apex) => name != apex && IsAtOrBelow(name, apex);

    private static void AppendUInt16(List<byte> buffer, ushort value)
    {
        buffer.Add((byte)(value >> 8));
        buffer.Add((byte)value);
    }

    private static void AppendUInt32(List<byte> buffer, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        buffer.AddRange(bytes.ToArray());
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }

    /// <summary>Canonical name order (RFC 4034 §6.1) over normalised names: label by label from the right.</summary>
    private sealed class CanonicalOrder : IComparer<string>
    {
        public static readonly CanonicalOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            string[] a = x!.Length == 0 ? [] : x.Split('.');
            string[] b = y!.Length == 0 ? [] : y.Split('.');
            for (int i = 1; i <= Math.Min(a.Length, b.Length); i++)
            {
                int c = string.CompareOrdinal(a[^i], b[^i]);
                if (c != 0)
                {
                    return c;
                }
            }

            return a.Length.CompareTo(b.Length);
        }
    }
}
