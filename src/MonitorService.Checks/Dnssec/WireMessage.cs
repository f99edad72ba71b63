namespace MonitorService.Checks.Dnssec;

/// <summary>
/// One resource record as read from a response. <see cref="RData"/> is in canonical form (RFC 4034 §6.2, as amended by
/// RFC 6840 §5.1): names inside it decompressed, and lower-cased for the types that list says.
/// </summary>
internal sealed record WireRecord(DomainLabels Owner, ushort Type, ushort Class, uint Ttl, byte[] RData)
{
    /// <summary>
    /// For MX: the RDATA with its name decompressed but in the case the server sent, for the answer the engine reports
    /// (as DnsClient reads it); <see cref="RData"/> is lower-cased for signatures. Null for the other types.
    /// </summary>
    public byte[]? CaseKeptRData { get; init; }
}

/// <summary>The parts of a DNS response the validator uses.</summary>
internal sealed record WireMessage(int Rcode, bool Truncated, IReadOnlyList<WireRecord> Answers, IReadOnlyList<WireRecord> Authority)
{
    public const int NoError = 0;
    public const int ServFail = 2;
    public const int NxDomain = 3;

    /// <summary>The records of one RRset of a section.</summary>
    public static List<WireRecord> RRset(IEnumerable<WireRecord> section, DomainLabels owner, ushort type) =>
        section.Where(r => r.Type == type && r.Owner.Equals(owner)).ToList();

    /// <summary>The RRSIGs over one RRset of a section.</summary>
    public static List<Rrsig> SignaturesOver(IEnumerable<WireRecord> section, DomainLabels owner, ushort type) =>
        section.Where(r => r.Type == RrType.Rrsig && r.Owner.Equals(owner))
            .Select(r => Rrsig.TryParse(r.RData, out var sig) ? sig : null)
            .Where(s => s is not null && s.TypeCovered == type)
            .Select(s => s!)
            .ToList();
}
