using System.Globalization;

namespace MonitorService.Checks.Dnssec;

/// <summary>
/// Where validation starts: DS or DNSKEY records of one zone (usually the root) that we trust without proof. By default
/// the IANA root key-signing keys, KSK-2017 (key tag 20326) and KSK-2024 (38696, signing the root since October 2026),
/// as published at https://data.iana.org/root-anchors/root-anchors.xml. A file of DS or DNSKEY lines in presentation
/// format replaces them (tests, closed networks with their own root).
/// </summary>
public sealed class DnssecTrustAnchors
{
    private DnssecTrustAnchors(DomainLabels zone, IReadOnlyList<Ds> ds, IReadOnlyList<DnsKey> keys)
    {
        ZoneLabels = zone;
        DsRecords = ds;
        Keys = keys;
    }

    /// <summary>The zone the anchors belong to, as a name with a trailing dot.</summary>
    public string Zone => ZoneLabels.ToString();

    internal DomainLabels ZoneLabels { get; }
    internal IReadOnlyList<Ds> DsRecords { get; }
    internal IReadOnlyList<DnsKey> Keys { get; }

    public static DnssecTrustAnchors IanaRoot { get; } = Parse(
        """
        . IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
        . IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16
        """, "built-in IANA root anchors");

    public static DnssecTrustAnchors FromFile(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>
    /// Parses lines <c>owner [ttl] [IN] DS tag algorithm digest-type hex</c> or <c>owner [ttl] [IN] DNSKEY flags 3
    /// algorithm base64</c>; <c>;</c> and <c>#</c> start comments. All lines must name one zone.
    /// </summary>
    /// <exception cref="FormatException">A line is not such a record, or the file has none.</exception>
    public static DnssecTrustAnchors Parse(string text, string source)
    {
        DomainLabels? zone = null;
        var ds = new List<Ds>();
        var keys = new List<DnsKey>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Split(';', '#')[0].Trim();
            if (line.Length == 0)
                continue;
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();
            try
            {
                var owner = DomainLabels.Parse(fields[0]);
                var i = 1;
                if (i < fields.Count && uint.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out _))
                    i++;
                if (i < fields.Count && fields[i].Equals("IN", StringComparison.OrdinalIgnoreCase))
                    i++;
                if (i >= fields.Count)
                    throw new FormatException("no record type");
                var type = fields[i].ToUpperInvariant();
                var rest = fields.Skip(i + 1).ToList();
                if (type == "DS" && rest.Count >= 4)
                {
                    ds.Add(new Ds(ushort.Parse(rest[0], CultureInfo.InvariantCulture), byte.Parse(rest[1], CultureInfo.InvariantCulture),
                        byte.Parse(rest[2], CultureInfo.InvariantCulture), Convert.FromHexString(string.Concat(rest.Skip(3)))));
                }
                else if (type == "DNSKEY" && rest.Count >= 4)
                {
                    var flags = ushort.Parse(rest[0], CultureInfo.InvariantCulture);
                    var protocol = byte.Parse(rest[1], CultureInfo.InvariantCulture);
                    var algorithm = byte.Parse(rest[2], CultureInfo.InvariantCulture);
                    var publicKey = Convert.FromBase64String(string.Concat(rest.Skip(3)));
                    byte[] rdata = [(byte)(flags >> 8), (byte)flags, protocol, algorithm, .. publicKey];
                    keys.Add(new DnsKey(flags, protocol, algorithm, publicKey, rdata));
                }
                else
                {
                    throw new FormatException($"expected a DS or DNSKEY record, found '{type}'");
                }
                if (zone is not null && !zone.Equals(owner))
                    throw new FormatException($"all anchors must belong to one zone ({zone}, not {owner})");
                zone = owner;
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                throw new FormatException($"Trust anchor file {source}, line {lineNumber}: {e.Message}", e);
            }
        }
        if (zone is null)
            throw new FormatException($"Trust anchor file {source} holds no DS or DNSKEY record.");
        if (!ds.Any(d => SignatureAlgorithms.IsSupported(d.Algorithm) && DsDigests.IsSupported(d.DigestType))
            && !keys.Any(k => SignatureAlgorithms.IsSupported(k.Algorithm)))
            throw new FormatException($"Trust anchor file {source}: no anchor uses an algorithm and digest this validator supports (algorithms 8, 10, 13, 14; digests 1, 2, 4).");
        return new DnssecTrustAnchors(zone, ds, keys);
    }
}
