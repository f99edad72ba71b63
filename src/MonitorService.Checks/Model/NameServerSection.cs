namespace MonitorService.Checks.Model;

/// <summary>
/// The <c>nameservers</c> section of a report: every authoritative server of the domain's zones (and of the zones of
/// <c>mta-sts</c> and <c>_smtp._tls</c> where cut off), every address asked, and what each answered.
/// </summary>
public sealed record NameServerSection
{
    /// <summary>True when every address that answered gave the same answer to every question.</summary>
    public required bool Consistent { get; init; }
    public IReadOnlyList<NameServerZoneReport> Zones { get; init; } = [];
    public IReadOnlyList<NameServerReport> Servers { get; init; } = [];
    /// <summary>Server names past the cap: neither resolved nor asked.</summary>
    public IReadOnlyList<string> NotAsked { get; init; } = [];
    /// <summary>Why nothing could be compared (the NS lookup failed, the time ran out).</summary>
    public string? Error { get; init; }
}

/// <summary>A zone and its delegation (the NS names the recursive resolver gave).</summary>
public sealed record NameServerZoneReport(string Zone, IReadOnlyList<string> NameServers);

/// <summary>One name server: its addresses (from the recursive resolver) and what each asked address answered.</summary>
public sealed record NameServerReport
{
    public required string Name { get; init; }
    public IReadOnlyList<string> Addresses { get; init; } = [];
    /// <summary>Addresses the address guard refused: never contacted.</summary>
    public IReadOnlyList<string> Blocked { get; init; } = [];
    /// <summary>Why the server could not be asked at all (its address lookup failed or gave nothing usable).</summary>
    public string? Error { get; init; }
    public IReadOnlyList<NameServerAddressReport> Answers { get; init; } = [];
}

/// <summary>What one address of a server answered for one zone.</summary>
public sealed record NameServerAddressReport
{
    public required string Zone { get; init; }
    public required string Address { get; init; }
    /// <summary>"answered", "no answer", "refused", "not authoritative" or "failed" (for the SOA question, asked first).</summary>
    public required string Status { get; init; }
    public uint? SoaSerial { get; init; }
    public string? Error { get; init; }
    /// <summary>False when any answer of this address differs from the one the newest servers give.</summary>
    public required bool Agrees { get; init; }
    public IReadOnlyList<NameServerAnswerReport> Answers { get; init; } = [];
}

/// <summary>One question and its answer: <paramref name="Status"/> is "records", "no record", "no such name", or the failure.</summary>
public sealed record NameServerAnswerReport(string Question, string Status, IReadOnlyList<string> Records, bool Agrees);
