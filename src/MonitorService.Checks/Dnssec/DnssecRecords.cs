using System.Buffers.Binary;

namespace MonitorService.Checks.Dnssec;

/// <summary>An RRSIG record (RFC 4034 §3.1). <see cref="SignedPart"/> is its RDATA without the signature, as signed.</summary>
internal sealed record Rrsig(ushort TypeCovered, byte Algorithm, byte Labels, uint OriginalTtl, uint Expiration, uint Inception,
    ushort KeyTag, DomainLabels Signer, byte[] Signature, byte[] SignedPart)
{
    public static bool TryParse(byte[] rdata, out Rrsig? rrsig)
    {
        rrsig = null;
        if (rdata.Length < 19)
            return false;
        try
        {
            var offset = 18;
            var signer = WireMessageReader.ReadUncompressedName(rdata, ref offset);
            var span = rdata.AsSpan();
            rrsig = new Rrsig(
                BinaryPrimitives.ReadUInt16BigEndian(span),
                span[2],
                span[3],
                BinaryPrimitives.ReadUInt32BigEndian(span[4..]),
                BinaryPrimitives.ReadUInt32BigEndian(span[8..]),
                BinaryPrimitives.ReadUInt32BigEndian(span[12..]),
                BinaryPrimitives.ReadUInt16BigEndian(span[16..]),
                signer,
                span[offset..].ToArray(),
                span[..offset].ToArray());
            return rrsig.Signature.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>RFC 4034 §3.1.5: 32-bit times compared in serial number arithmetic (RFC 1982) around <paramref name="now"/>.</summary>
    public static DateTimeOffset ToTime(uint value, DateTimeOffset now)
    {
        var nowSeconds = now.ToUnixTimeSeconds();
        var delta = (int)(value - (uint)nowSeconds);
        return DateTimeOffset.FromUnixTimeSeconds(nowSeconds + delta);
    }
}

/// <summary>A DNSKEY record (RFC 4034 §2.1) with its key tag (RFC 4034 Appendix B).</summary>
internal sealed record DnsKey(ushort Flags, byte Protocol, byte Algorithm, byte[] PublicKey, byte[] RData)
{
    /// <summary>The Zone Key flag (bit 7): only zone keys may verify RRSIGs.</summary>
    public bool IsZoneKey => (Flags & 0x0100) != 0;

    /// <summary>The REVOKE flag (RFC 5011 §3): a revoked key must not be used.</summary>
    public bool IsRevoked => (Flags & 0x0080) != 0;

    public ushort KeyTag => ComputeKeyTag(RData);

    public static bool TryParse(byte[] rdata, out DnsKey? key)
    {
        key = null;
        if (rdata.Length < 5)
            return false;
        key = new DnsKey(BinaryPrimitives.ReadUInt16BigEndian(rdata), rdata[2], rdata[3], rdata[4..], rdata);
        return true;
    }

    public static ushort ComputeKeyTag(ReadOnlySpan<byte> rdata)
    {
        uint ac = 0;
        for (var i = 0; i < rdata.Length; i++)
            ac += (i & 1) != 0 ? rdata[i] : (uint)rdata[i] << 8;
        ac += (ac >> 16) & 0xFFFF;
        return (ushort)(ac & 0xFFFF);
    }
}

/// <summary>A DS record (RFC 4034 §5.1).</summary>
internal sealed record Ds(ushort KeyTag, byte Algorithm, byte DigestType, byte[] Digest)
{
    public static bool TryParse(ReadOnlySpan<byte> rdata, out Ds? ds)
    {
        ds = null;
        if (rdata.Length < 5)
            return false;
        ds = new Ds(BinaryPrimitives.ReadUInt16BigEndian(rdata), rdata[2], rdata[3], rdata[4..].ToArray());
        return true;
    }
}

/// <summary>The type bit maps field of NSEC and NSEC3 (RFC 4034 §4.1.2).</summary>
internal sealed class TypeBitmap
{
    private readonly HashSet<ushort> _types;

    private TypeBitmap(HashSet<ushort> types) => _types = types;

    public bool Has(ushort type) => _types.Contains(type);

    public static TypeBitmap Parse(ReadOnlySpan<byte> data)
    {
        var types = new HashSet<ushort>();
        var offset = 0;
        while (offset < data.Length)
        {
            if (offset + 2 > data.Length)
                throw new FormatException("An NSEC type bit map is cut off.");
            var window = data[offset];
            var length = data[offset + 1];
            if (length is 0 or > 32 || offset + 2 + length > data.Length)
                throw new FormatException("An NSEC type bit map is malformed.");
            for (var i = 0; i < length; i++)
            {
                var bits = data[offset + 2 + i];
                for (var bit = 0; bit < 8; bit++)
                {
                    if ((bits & (0x80 >> bit)) != 0)
                        types.Add((ushort)((window << 8) | (i * 8) + bit));
                }
            }
            offset += 2 + length;
        }
        return new TypeBitmap(types);
    }
}

/// <summary>An NSEC record (RFC 4034 §4.1).</summary>
internal sealed record Nsec(DomainLabels Owner, DomainLabels Next, TypeBitmap Types)
{
    public static bool TryParse(WireRecord record, out Nsec? nsec)
    {
        nsec = null;
        try
        {
            var offset = 0;
            var next = WireMessageReader.ReadUncompressedName(record.RData, ref offset);
            nsec = new Nsec(record.Owner, next, TypeBitmap.Parse(record.RData.AsSpan(offset)));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>True when <paramref name="name"/> falls strictly between this NSEC's owner and its next name (the last NSEC wraps to the apex).</summary>
    public bool Covers(DomainLabels name)
    {
        var afterOwner = DomainLabels.CanonicalCompare(Owner, name) < 0;
        var beforeNext = DomainLabels.CanonicalCompare(name, Next) < 0;
        return DomainLabels.CanonicalCompare(Owner, Next) < 0 ? afterOwner && beforeNext : afterOwner || beforeNext;
    }
}

/// <summary>An NSEC3 record (RFC 5155 §3) with its owner's hash decoded.</summary>
internal sealed record Nsec3(DomainLabels Owner, byte[] OwnerHash, byte HashAlgorithm, byte Flags, ushort Iterations, byte[] Salt, byte[] NextHash, TypeBitmap Types)
{
    public bool OptOut => (Flags & 1) != 0;

    public static bool TryParse(WireRecord record, out Nsec3? nsec3)
    {
        nsec3 = null;
        var data = record.RData.AsSpan();
        if (data.Length < 5 || record.Owner.IsRoot)
            return false;
        var saltLength = data[4];
        if (5 + saltLength + 1 > data.Length)
            return false;
        var hashLength = data[5 + saltLength];
        var bitmapStart = 6 + saltLength + hashLength;
        if (bitmapStart > data.Length || !Base32Hex.TryDecode(record.Owner.Labels[0], out var ownerHash))
            return false;
        try
        {
            nsec3 = new Nsec3(record.Owner, ownerHash, data[0], data[1], BinaryPrimitives.ReadUInt16BigEndian(data[2..]),
                data.Slice(5, saltLength).ToArray(), data.Slice(6 + saltLength, hashLength).ToArray(), TypeBitmap.Parse(data[bitmapStart..]));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public bool Matches(byte[] hash) => OwnerHash.AsSpan().SequenceEqual(hash);

    /// <summary>True when <paramref name="hash"/> falls strictly between the owner hash and the next hash (wrapping at the end).</summary>
    public bool Covers(byte[] hash)
    {
        var afterOwner = OwnerHash.AsSpan().SequenceCompareTo(hash) < 0;
        var beforeNext = hash.AsSpan().SequenceCompareTo(NextHash) < 0;
        return OwnerHash.AsSpan().SequenceCompareTo(NextHash) < 0 ? afterOwner && beforeNext : afterOwner || beforeNext;
    }
}

/// <summary>Base 32 with the extended hex alphabet (RFC 4648 §7), as NSEC3 owner names use it, without padding.</summary>
internal static class Base32Hex
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuv";

    public static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        var output = new List<byte>(text.Length * 5 / 8);
        int buffer = 0, bits = 0;
        foreach (var c in text)
        {
            var value = Alphabet.IndexOf(char.ToLowerInvariant(c), StringComparison.Ordinal);
            if (value < 0)
                return false;
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                output.Add((byte)(buffer >> bits));
                buffer &= (1 << bits) - 1;
            }
        }
        bytes = [.. output];
        return bytes.Length > 0;
    }

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var sb = new System.Text.StringBuilder();
        int buffer = 0, bits = 0;
        foreach (var b in data)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                sb.Append(Alphabet[(buffer >> bits) & 31]);
            }
            buffer &= (1 << bits) - 1;
        }
        if (bits > 0)
            sb.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        return sb.ToString();
    }
}
