using System.Buffers.Binary;

namespace MonitorService.Checks.Dnssec;

/// <summary>The bytes an RRSIG signs (RFC 4034 §3.1.8.1): its own RDATA without the signature, then the RRset in canonical form and order.</summary>
internal static class SignedData
{
    public static byte[] For(Rrsig rrsig, DomainLabels owner, ushort type, ushort rrClass, IEnumerable<byte[]> rdatas)
    {
        // A wildcard expansion is signed as the wildcard owner: "*." plus the rightmost Labels labels (§3.1.8.1).
        var signedOwner = rrsig.Labels < owner.Count ? owner.Ancestor(rrsig.Labels).Child("*") : owner;
        var ownerWire = signedOwner.ToWire();
        var sorted = rdatas.Distinct(ByteArrayComparer.Instance).OrderBy(r => r, ByteArrayComparer.Instance).ToList();
        var output = new List<byte>(rrsig.SignedPart.Length + sorted.Sum(r => r.Length + ownerWire.Length + 10));
        output.AddRange(rrsig.SignedPart);
        Span<byte> header = stackalloc byte[10];
        foreach (var rdata in sorted)
        {
            output.AddRange(ownerWire);
            BinaryPrimitives.WriteUInt16BigEndian(header, type);
            BinaryPrimitives.WriteUInt16BigEndian(header[2..], rrClass);
            BinaryPrimitives.WriteUInt32BigEndian(header[4..], rrsig.OriginalTtl);
            BinaryPrimitives.WriteUInt16BigEndian(header[8..], (ushort)rdata.Length);
            output.AddRange(header);
            output.AddRange(rdata);
        }
        return [.. output];
    }

    /// <summary>Canonical RR order (RFC 4034 §6.3): RDATA compared as unsigned octet sequences.</summary>
    private sealed class ByteArrayComparer : IComparer<byte[]>, IEqualityComparer<byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj)
        {
            var hash = new HashCode();
            hash.AddBytes(obj);
            return hash.ToHashCode();
        }
    }
}
