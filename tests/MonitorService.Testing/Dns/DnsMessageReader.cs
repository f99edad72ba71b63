using System.Buffers.Binary;
using System.Text;

namespace MonitorService.Testing.Dns;

/// <summary>Parses DNS query messages (RFC 1035 4.1). Anything malformed yields <c>false</c>, never an exception.</summary>
internal static class DnsMessageReader
{
    private const int HeaderLength = 12;
    private const int ClassicUdpLimit = 512;

    /// <summary>
    /// Reads the header and the single question of a query. Responses (QR=1) and messages whose
    /// QDCOUNT is not 1 are rejected. An EDNS OPT record in the additional section only raises
    /// <see cref="DnsQuery.MaxUdpSize"/>; a broken additional section is ignored.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> message, out DnsQuery query)
    {
        query = null!;
        if (message.Length < HeaderLength)
        {
            return false;
        }

        ushort id = BinaryPrimitives.ReadUInt16BigEndian(message);
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        ushort qdCount = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        if ((flags & 0x8000) != 0 || qdCount != 1)
        {
            return false;
        }

        int offset = HeaderLength;
        if (!TryReadName(message, ref offset, out string name) || offset + 4 > message.Length)
        {
            return false;
        }

        ushort qType = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
        ushort qClass = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
        offset += 4;

        (int maxUdpSize, bool dnssecOk) = ReadEdns(message, offset);
        query = new DnsQuery(
            id,
            (flags >> 11) & 0xF,
            (flags & 0x0100) != 0,
            name,
            qType,
            qClass,
            maxUdpSize)
        {
            DnssecOk = dnssecOk,
            CheckingDisabled = (flags & 0x0010) != 0,
        };
        return true;
    }

    /// <summary>Reads a possibly compressed name starting at <paramref name="offset"/>, advancing past it.</summary>
    public static bool TryReadName(ReadOnlySpan<byte> message, ref int offset, out string name)
    {
        name = string.Empty;
        var sb = new StringBuilder();
        int position = offset;
        int end = -1;
        int wireLength = 1;
        int jumps = 0;
        while (true)
        {
            if (position >= message.Length)
            {
                return false;
            }

            byte length = message[position];
            if ((length & 0xC0) == 0xC0)
            {
                if (position + 1 >= message.Length || ++jumps > 64)
                {
                    return false;
                }

                int target = ((length & 0x3F) << 8) | message[position + 1];
                if (target >= position)
                {
                    return false; // pointers must point backwards, which also rules out loops
                }

                if (end < 0)
                {
                    end = position + 2;
                }

                position = target;
                continue;
            }

            if ((length & 0xC0) != 0)
            {
                return false; // 0x40 / 0x80 label types are not supported
            }

            if (length == 0)
            {
                offset = end < 0 ? position + 1 : end;
                name = sb.ToString();
                return true;
            }

            wireLength += length + 1;
            if (wireLength > DnsName.MaxWireLength || position + 1 + length > message.Length)
            {
                return false;
            }

            if (sb.Length > 0)
            {
                sb.Append('.');
            }

            sb.Append(Encoding.Latin1.GetString(message.Slice(position + 1, length)));
            position += 1 + length;
        }
    }

    private static (int MaxUdpSize, bool DnssecOk) ReadEdns(ReadOnlySpan<byte> message, int offset)
    {
        ushort anCount = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        ushort nsCount = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        ushort arCount = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        int total = anCount + nsCount + arCount;
        for (int i = 0; i < total; i++)
        {
            if (!TryReadName(message, ref offset, out _) || offset + 10 > message.Length)
            {
                return (ClassicUdpLimit, false);
            }

            ushort type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
            ushort rrClass = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
            ushort rdLength = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 8)..]);
            offset += 10 + rdLength;
            if (offset > message.Length)
            {
                return (ClassicUdpLimit, false);
            }

            if (type == DnsRecordType.Opt && i >= anCount + nsCount)
            {
                // The OPT TTL field holds extended RCODE, version and flags; DO is its bit 15 (RFC 3225).
                bool dnssecOk = (message[offset - 10 - rdLength + 6] & 0x80) != 0;
                return (Math.Max(ClassicUdpLimit, (int)rrClass), dnssecOk);
            }
        }

        return (ClassicUdpLimit, false);
    }
}
