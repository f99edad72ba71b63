using System.Globalization;
using System.Net;
using System.Text;
using MonitorService.Checks.Dns;

namespace MonitorService.Checks.Dnssec;

/// <summary>
/// The engine's <see cref="DnsAnswer{T}"/> from the message the validator fetched, read as DnsClient reads it (the
/// resolver the engine uses without validation): every record of the asked type in the answer section, TXT strings as
/// UTF-8 joined without separators, names in DnsClient's presentation form (case kept, odd bytes escaped), the same
/// RCODE, NXDOMAIN and CNAME rules (<see cref="DnsResponseMapping"/>). A record whose data does not parse fails the
/// lookup instead of reaching the engine.
/// </summary>
internal static class WireAnswers
{
    public static DnsAnswer<string> Txt(string name, FetchedAnswer fetched) => Map(name, fetched, RrType.Txt, TxtText);

    public static DnsAnswer<MxRecordData> Mx(string name, FetchedAnswer fetched)
    {
        var answer = Map(name, fetched, RrType.Mx, MxData);
        return answer.Outcome == DnsOutcome.Found ? answer with { Records = DnsResponseMapping.Ordered(answer.Records).ToList() } : answer;
    }

    public static DnsAnswer<IPAddress> Addresses(string name, FetchedAnswer v4, FetchedAnswer v6) =>
        DnsResponseMapping.CombineAddresses(Map(name, v4, RrType.A, r => Address(r, 4)), Map(name, v6, RrType.Aaaa, r => Address(r, 16)));

    public static DnsAnswer<TlsaRecordData> Tlsa(string name, FetchedAnswer fetched) => Map(name, fetched, RrType.Tlsa, TlsaData);

    private static DnsAnswer<T> Map<T>(string name, FetchedAnswer fetched, ushort type, Func<WireRecord, T> read)
    {
        if (fetched.Message is not { } message)
            return DnsAnswer<T>.Fail(fetched.Error ?? "no answer");
        var cnames = message.Answers.Where(r => r.Type == RrType.Cname).Select(r => (Presentation(r.Owner.Labels), TargetOf(r.RData, 0)));
        try
        {
            return DnsResponseMapping.FromResponse(message.Rcode, DnsResponseMapping.CanonicalNameOf(name, cnames),
                () => message.Answers.Where(r => r.Type == type).Select(read).ToList());
        }
        catch (FormatException e)
        {
            return DnsAnswer<T>.Fail($"the DNS server sent a malformed {RrType.Name(type)} record ({e.Message})");
        }
    }

    /// <summary>RFC 8461 §3.1 / RFC 8460 §3: the strings of one TXT record are concatenated without separators.</summary>
    private static string TxtText(WireRecord record)
    {
        var data = record.RData;
        var text = new StringBuilder();
        for (var offset = 0; offset < data.Length; offset += 1 + data[offset])
        {
            if (offset + 1 + data[offset] > data.Length)
                throw new FormatException("a TXT string runs past the record's data");
            text.Append(Encoding.UTF8.GetString(data, offset + 1, data[offset]));
        }
        return text.ToString();
    }

    private static MxRecordData MxData(WireRecord record)
    {
        var data = record.CaseKeptRData ?? record.RData;
        if (data.Length < 3)
            throw new FormatException("an MX record is shorter than a preference and a name");
        return new MxRecordData((data[0] << 8) | data[1], TargetOf(data, 2).TrimEnd('.'));
    }

    private static IPAddress Address(WireRecord record, int length) => record.RData.Length == length
        ? new IPAddress(record.RData)
        : throw new FormatException($"an address record has {record.RData.Length} bytes instead of {length}");

    private static TlsaRecordData TlsaData(WireRecord record) => record.RData.Length >= 3
        ? new TlsaRecordData(record.RData[0], record.RData[1], record.RData[2], record.RData[3..])
        : throw new FormatException("a TLSA record is shorter than its three fields");

    /// <summary>The uncompressed name at <paramref name="offset"/> of canonical RDATA (the reader decompressed it), in presentation form.</summary>
    private static string TargetOf(byte[] data, int offset)
    {
        var labels = new List<string>();
        while (offset < data.Length && data[offset] != 0 && offset + 1 + data[offset] <= data.Length)
        {
            labels.Add(Encoding.Latin1.GetString(data, offset + 1, data[offset]));
            offset += 1 + data[offset];
        }
        return Presentation(labels);
    }

    /// <summary>A name as DnsClient presents it: labels joined by dots, a trailing dot, bytes outside printable ASCII as \ddd, and ; \ " escaped.</summary>
    private static string Presentation(IEnumerable<string> latin1Labels)
    {
        var text = new StringBuilder();
        foreach (var label in latin1Labels)
        {
            foreach (var c in label)
            {
                if (c < 32 || c > 126)
                    text.Append('\\').Append(((int)c).ToString("000", CultureInfo.InvariantCulture));
                else if (c is ';' or '\\' or '"')
                    text.Append('\\').Append(c);
                else
                    text.Append(c);
            }
            text.Append('.');
        }
        return text.Length == 0 ? "." : text.ToString();
    }
}
