namespace MonitorService.Testing.Dns;

/// <summary>RR type numbers used by the test server and their mnemonics ("A", "TXT", ...).</summary>
public static class DnsRecordType
{
    public const ushort A = 1;
    public const ushort Ns = 2;
    public const ushort Cname = 5;
    public const ushort Soa = 6;
    public const ushort Ptr = 12;
    public const ushort Mx = 15;
    public const ushort Txt = 16;
    public const ushort Aaaa = 28;
    public const ushort Srv = 33;
    public const ushort Opt = 41;
    public const ushort Ds = 43;
    public const ushort Rrsig = 46;
    public const ushort Nsec = 47;
    public const ushort Dnskey = 48;
    public const ushort Nsec3 = 50;
    public const ushort Tlsa = 52;
    public const ushort Any = 255;

    /// <summary>Mnemonic for a type number; unknown types become "TYPE{n}" (RFC 3597).</summary>
    public static string ToName(ushort type) => type switch
    {
        A => "A",
        Ns => "NS",
        Cname => "CNAME",
        Soa => "SOA",
        Ptr => "PTR",
        Mx => "MX",
        Txt => "TXT",
        Aaaa => "AAAA",
        Srv => "SRV",
        Opt => "OPT",
        Ds => "DS",
        Rrsig => "RRSIG",
        Nsec => "NSEC",
        Dnskey => "DNSKEY",
        Nsec3 => "NSEC3",
        Tlsa => "TLSA",
        Any => "ANY",
        _ => "TYPE" + type.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>Type number for a mnemonic (case-insensitive) or "TYPE{n}".</summary>
    public static ushort Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string upper = name.Trim().ToUpperInvariant();
        for (int t = 1; t <= 255; t++)
        {
            if (ToName((ushort)t) == upper)
            {
                return (ushort)t;
            }
        }

        if (upper.StartsWith("TYPE", StringComparison.Ordinal)
            && ushort.TryParse(upper.AsSpan(4), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ushort n))
        {
            return n;
        }

        throw new ArgumentException($"Unknown DNS record type '{name}'.", nameof(name));
    }
}
