namespace MonitorService.Testing.Dns;

/// <summary>Builds response messages (RFC 1035 4.1) with uncompressed names.</summary>
internal static class DnsMessageWriter
{
    private const ushort ClassIn = 1;

    /// <summary>
    /// A response to <paramref name="query"/>: ID, opcode and RD echoed, QR=1, AA=1, RA=0, the question
    /// repeated as received and <paramref name="answers"/> in the answer section. With
    /// <paramref name="truncated"/> the answer section is left empty and TC=1 is set. Without
    /// <paramref name="authoritative"/> AA=0, as a lame server (one that does not hold the zone) answers.
    /// </summary>
    public static byte[] Write(DnsQuery query, int responseCode, IReadOnlyList<DnsRecord> answers, bool truncated = false, bool authoritative = true) =>
        Write(query, responseCode, answers, [], truncated, authoritative);

    /// <summary>As above, with an authority section (left empty too when truncated).</summary>
    public static byte[] Write(DnsQuery query, int responseCode, IReadOnlyList<DnsRecord> answers, IReadOnlyList<DnsRecord> authority, bool truncated, bool authoritative = true)
    {
        var buffer = new List<byte>(512);
        int flags = 0x8000 | (query.Opcode << 11) | (authoritative ? 0x0400 : 0) | (responseCode & 0xF);
        if (truncated)
        {
            flags |= 0x0200;
        }

        if (query.RecursionDesired)
        {
            flags |= 0x0100;
        }

        int answerCount = truncated ? 0 : answers.Count;
        int authorityCount = truncated ? 0 : authority.Count;
        WriteUInt16(buffer, query.Id);
        WriteUInt16(buffer, (ushort)flags);
        WriteUInt16(buffer, 1);
        WriteUInt16(buffer, (ushort)answerCount);
        WriteUInt16(buffer, (ushort)authorityCount);
        WriteUInt16(buffer, 0);

        buffer.AddRange(DnsName.Encode(query.QuestionName));
        WriteUInt16(buffer, query.QuestionType);
        WriteUInt16(buffer, query.QuestionClass);

        foreach (DnsRecord record in answers.Take(answerCount).Concat(authority.Take(authorityCount)))
        {
            buffer.AddRange(DnsName.Encode(record.Owner));
            WriteUInt16(buffer, record.Type);
            WriteUInt16(buffer, ClassIn);
            WriteUInt16(buffer, (ushort)(record.Ttl >> 16));
            WriteUInt16(buffer, (ushort)record.Ttl);
            WriteUInt16(buffer, (ushort)record.RData.Length);
            buffer.AddRange(record.RData);
        }

        return [.. buffer];
    }

    private static void WriteUInt16(List<byte> buffer, ushort value)
    {
        buffer.Add((byte)(value >> 8));
        buffer.Add((byte)value);
    }
}
