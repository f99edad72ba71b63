namespace MonitorService.Testing.Dns;

/// <summary>What the zone says about one question: the RCODE and the answer section.</summary>
internal sealed record DnsLookupResult(int ResponseCode, IReadOnlyList<DnsRecord> Answers);
