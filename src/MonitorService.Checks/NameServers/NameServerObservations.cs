using System.Net;
using MonitorService.Checks.Dns;

namespace MonitorService.Checks.NameServers;

/// <summary>A zone the check asked about: its delegation (NS names) and the questions asked of every server of it.</summary>
public sealed record NameServerZone(string Name, IReadOnlyList<string> Servers, IReadOnlyList<AuthoritativeQuestion> Questions)
{
    public AuthoritativeQuestion SoaQuestion => new(Name, AuthoritativeRecordType.Soa);
}

/// <summary>One server's addresses as the recursive resolver gave them, split by the address guard and the cap.</summary>
public sealed record NameServerLookup(string Name, DnsAnswer<IPAddress> Addresses, IReadOnlyList<IPAddress> Asked, IReadOnlyList<IPAddress> Blocked, int AddressesLeftOut);

/// <summary>One question and what one server address answered.</summary>
public sealed record QuestionAnswer(AuthoritativeQuestion Question, AuthoritativeAnswer Answer);

/// <summary>
/// What one address of one server answered for one zone. The SOA question goes first: an address that does not
/// answer it authoritatively is lame for the zone and is asked nothing more (one time limit per lame address, not one per question).
/// </summary>
public sealed record ZoneAnswers(string Zone, string Server, IPAddress Address, AuthoritativeAnswer Soa, IReadOnlyList<QuestionAnswer> Answers)
{
    public bool Lame => Soa.Status != AuthoritativeStatus.Answered;

    /// <summary>The SOA serial the address reported, when it reported exactly one.</summary>
    public uint? Serial => Soa.Records is [var only] && uint.TryParse(only, System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : null;
}

/// <summary>Everything the name-server part of one check saw.</summary>
public sealed record NameServerObservations
{
    public required string Domain { get; init; }
    public IReadOnlyList<NameServerZone> Zones { get; init; } = [];
    public IReadOnlyList<NameServerLookup> Servers { get; init; } = [];
    public IReadOnlyList<ZoneAnswers> Answers { get; init; } = [];
    /// <summary>Server names past <see cref="NameServerSurveySettings.MaxServers"/>: never resolved nor asked.</summary>
    public IReadOnlyList<string> ServersLeftOut { get; init; } = [];
    /// <summary>MX hosts in the zone whose TLSA records were not asked for (past the MX host cap).</summary>
    public int MxHostsLeftOut { get; init; }
    /// <summary>Why nothing could be compared (the delegation lookup failed, the time ran out).</summary>
    public string? Error { get; init; }
}
