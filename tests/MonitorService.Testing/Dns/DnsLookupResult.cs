namespace MonitorService.Testing.Dns;

/// <summary>What the zone says about one question: the RCODE and the answer section.</summary>
internal sealed record DnsLookupResult(int ResponseCode, IReadOnlyList<DnsRecord> Answers)
{
    /// <summary>The authority section: SOA and NSEC/NSEC3 proofs of a signed zone's negative answers.</summary>
    public IReadOnlyList<DnsRecord> Authority { get; init; } = [];
}
