namespace MonitorService.Testing.Dns;

/// <summary>Turns one raw query into the raw response (or none), applying the zone and per-name behaviours.</summary>
internal sealed class DnsRequestHandler(TestDnsZone zone, DnsQueryLog log, Func<Dnssec.TestDnssecHierarchy?> hierarchy)
{
    private const ushort ClassIn = 1;
    private const ushort ClassAny = 255;

    /// <summary>True when the answer to this (TCP) query must be sent one byte at a time.</summary>
    public bool Trickles(ReadOnlySpan<byte> packet) =>
        DnsMessageReader.TryRead(packet, out DnsQuery query) && zone.GetBehavior(query.QuestionName) == DnsBehavior.TrickleTcp;

    /// <summary>The response bytes, or <c>null</c> when nothing must be sent (malformed packet or <see cref="DnsBehavior.Hang"/>).</summary>
    public byte[]? Handle(ReadOnlySpan<byte> packet, bool tcp)
    {
        if (!DnsMessageReader.TryRead(packet, out DnsQuery query))
        {
            return null;
        }

        log.Add(query.QuestionName, query.QuestionType, tcp);
        if (query.Opcode != 0)
        {
            return DnsMessageWriter.Write(query, DnsRcode.NotImp, []);
        }

        if (query.QuestionClass is not (ClassIn or ClassAny) || query.QuestionType == DnsRecordType.Opt)
        {
            return DnsMessageWriter.Write(query, DnsRcode.Refused, []);
        }

        switch (zone.GetBehavior(query.QuestionName))
        {
            case DnsBehavior.Hang:
                return null;
            case DnsBehavior.ServFail:
            case DnsBehavior.ServFailUnlessCheckingDisabled when !query.CheckingDisabled:
                return DnsMessageWriter.Write(query, DnsRcode.ServFail, []);
            case DnsBehavior.Refused:
                return DnsMessageWriter.Write(query, DnsRcode.Refused, []);
            case DnsBehavior.Truncate or DnsBehavior.TrickleTcp when !tcp:
                return DnsMessageWriter.Write(query, DnsRcode.NoError, [], truncated: true);
        }

        DnsLookupResult result = hierarchy()?.Resolve(query.QuestionName, query.QuestionType, query.DnssecOk)
            ?? zone.Resolve(query.QuestionName, query.QuestionType);
        byte[] response = DnsMessageWriter.Write(query, result.ResponseCode, result.Answers, result.Authority, truncated: false, authoritative: zone.Authoritative);
        if (!tcp && response.Length > query.MaxUdpSize)
        {
            response = DnsMessageWriter.Write(query, result.ResponseCode, result.Answers, truncated: true, authoritative: zone.Authoritative);
        }

        return response;
    }
}
