using System.Buffers.Binary;
using System.Text;

namespace MonitorService.Checks.Dnssec;

/// <summary>
/// Parses DNS responses (RFC 1035 §4.1) for the validator. Everything in a response is attacker-controlled: every
/// length is checked, compression pointers must point backwards (no loops), and the number of records is capped.
/// A malformed message is a <see cref="FormatException"/>.
/// </summary>
internal static class WireMessageReader
{
    /// <summary>More records than any honest answer to one question carries; past it the message is refused.</summary>
    public const int MaxRecords = 512;

    private const int HeaderLength = 12;

    public static WireMessage Read(ReadOnlySpan<byte> message, ushort expectedId, DomainLabels expectedName, ushort expectedType)
    {
        if (message.Length < HeaderLength)
            throw new FormatException("The DNS response is shorter than its header.");
        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        int qd = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        int an = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        int ns = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        if (id != expectedId || (flags & 0x8000) == 0)
            throw new FormatException("The DNS response does not answer our query (ID or QR bit).");
        if (qd != 1)
            throw new FormatException("The DNS response does not repeat exactly one question.");
        if (an + ns > MaxRecords)
            throw new FormatException($"The DNS response carries more than {MaxRecords} records.");
        var offset = HeaderLength;
        var question = ReadName(message, ref offset);
        if (offset + 4 > message.Length)
            throw new FormatException("The DNS response's question is cut off.");
        var qtype = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
        offset += 4;
        if (!question.Equals(expectedName) || qtype != expectedType)
            throw new FormatException("The DNS response answers another question.");

        var truncated = (flags & 0x0200) != 0;
        var answers = ReadSection(message, ref offset, an);
        var authority = ReadSection(message, ref offset, ns);
        return new WireMessage(flags & 0xF, truncated, answers, authority);
    }

    private static List<WireRecord> ReadSection(ReadOnlySpan<byte> message, ref int offset, int count)
    {
        var records = new List<WireRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var owner = ReadName(message, ref offset);
            if (offset + 10 > message.Length)
                throw new FormatException("A DNS record is cut off.");
            var type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
            var rrClass = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
            var ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(offset + 4)..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 8)..]);
            offset += 10;
            if (offset + length > message.Length)
                throw new FormatException("A DNS record's data is cut off.");
            var rdata = CanonicalRData(message, offset, length, type);
            var caseKept = type == RrType.Mx ? NamesThenRest(message, offset, offset + length, 2, 1, lower: false) : null;
            offset += length;
            // TTLs above 2^31-1 are read as 0 (RFC 2181 §8).
            records.Add(new WireRecord(owner, type, rrClass, ttl > int.MaxValue ? 0 : ttl, rdata) { CaseKeptRData = caseKept });
        }
        return records;
    }

    /// <summary>RDATA with embedded names decompressed (lower-cased where RFC 4034 §6.2 / RFC 6840 §5.1 say so).</summary>
    private static byte[] CanonicalRData(ReadOnlySpan<byte> message, int start, int length, ushort type)
    {
        var end = start + length;
        var raw = message.Slice(start, length);
        switch (type)
        {
            case RrType.Ns or RrType.Cname or RrType.Ptr or RrType.Dname:
                return NamesThenRest(message, start, end, 0, 1, lower: true);
            case RrType.Mx:
                return NamesThenRest(message, start, end, 2, 1, lower: true);
            case RrType.Srv:
                return NamesThenRest(message, start, end, 6, 1, lower: true);
            case RrType.Soa:
                return NamesThenRest(message, start, end, 0, 2, lower: true);
            case RrType.Rrsig:
                return NamesThenRest(message, start, end, 18, 1, lower: true);
            case RrType.Nsec:
                // The next owner name keeps its case (RFC 6840 §5.1); comparisons lower-case it.
                return NamesThenRest(message, start, end, 0, 1, lower: false);
            default:
                return raw.ToArray();
        }
    }

    private static byte[] NamesThenRest(ReadOnlySpan<byte> message, int start, int end, int fixedPrefix, int names, bool lower)
    {
        if (start + fixedPrefix > end)
            throw new FormatException("A DNS record's data is too short.");
        var output = new List<byte>(end - start + 32);
        output.AddRange(message.Slice(start, fixedPrefix));
        var offset = start + fixedPrefix;
        for (var i = 0; i < names; i++)
        {
            var name = ReadName(message[..end], ref offset, lower);
            output.AddRange(name);
        }
        if (offset > end)
            throw new FormatException("A DNS record's names run past its data.");
        output.AddRange(message[offset..end]);
        return [.. output];
    }

    public static DomainLabels ReadName(ReadOnlySpan<byte> message, ref int offset)
    {
        var wire = ReadName(message, ref offset, lower: true);
        return FromWire(wire);
    }

    /// <summary>Parses an uncompressed wire name (as found in canonical RDATA) starting at <paramref name="offset"/>.</summary>
    public static DomainLabels ReadUncompressedName(ReadOnlySpan<byte> data, ref int offset)
    {
        var start = offset;
        while (true)
        {
            if (offset >= data.Length)
                throw new FormatException("A name in DNS record data is cut off.");
            var length = data[offset];
            if (length == 0)
            {
                offset++;
                break;
            }
            if (length > 63 || offset + 1 + length > data.Length)
                throw new FormatException("A name in DNS record data is malformed.");
            offset += 1 + length;
            if (offset - start > 255)
                throw new FormatException("A name in DNS record data is longer than 255 bytes.");
        }
        return FromWire(data[start..offset]);
    }

    private static DomainLabels FromWire(ReadOnlySpan<byte> wire)
    {
        var labels = new List<string>();
        var i = 0;
        while (wire[i] != 0)
        {
            labels.Add(Encoding.Latin1.GetString(wire.Slice(i + 1, wire[i])));
            i += 1 + wire[i];
        }
        return DomainLabels.FromLabels(labels);
    }

    /// <summary>Reads a possibly compressed name and returns it uncompressed in wire form.</summary>
    private static byte[] ReadName(ReadOnlySpan<byte> message, ref int offset, bool lower)
    {
        var output = new List<byte>(64);
        var position = offset;
        var end = -1;
        var jumps = 0;
        while (true)
        {
            if (position >= message.Length)
                throw new FormatException("A DNS name is cut off.");
            var length = message[position];
            if ((length & 0xC0) == 0xC0)
            {
                if (position + 1 >= message.Length || ++jumps > 64)
                    throw new FormatException("A DNS name's compression is malformed.");
                var target = ((length & 0x3F) << 8) | message[position + 1];
                if (target >= position)
                    throw new FormatException("A DNS name's compression pointer points forward.");
                if (end < 0)
                    end = position + 2;
                position = target;
                continue;
            }
            if ((length & 0xC0) != 0)
                throw new FormatException("A DNS name uses an unknown label type.");
            if (length == 0)
            {
                output.Add(0);
                offset = end < 0 ? position + 1 : end;
                return [.. output];
            }
            if (position + 1 + length > message.Length || output.Count + length + 2 > 255)
                throw new FormatException("A DNS name is too long or cut off.");
            output.Add(length);
            foreach (var b in message.Slice(position + 1, length))
                output.Add(lower && b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b);
            position += 1 + length;
        }
    }
}
