using System.Net;
using MonitorService.Checks.Dns;
using MonitorService.Checks.Policy;
using MonitorService.Checks.Smtp;

namespace MonitorService.Checks.Analysis;

/// <summary>
/// Everything the network part of a check saw, before any judgement. The analysis turns it into a report without
/// further IO, which is what lets the rules be tested without a network.
/// </summary>
public sealed record CheckObservations
{
    public required string Domain { get; init; }
    public required DateTimeOffset CheckedAt { get; init; }
    public required int PolicyPort { get; init; }
    public required DnsAnswer<string> StsTxt { get; init; }
    public required DnsAnswer<MxRecordData> Mx { get; init; }
    public required DnsAnswer<string> TlsRpt { get; init; }
    public required DnsAnswer<IPAddress> PolicyHostAddresses { get; init; }
    /// <summary>Addresses of the policy host that the address guard refused.</summary>
    public IReadOnlyList<IPAddress> PolicyHostBlocked { get; init; } = [];
    /// <summary>One fetch per allowed address of the policy host, in address order, up to the per-host cap.</summary>
    public IReadOnlyList<PolicyFetchResult> PolicyFetches { get; init; } = [];
    /// <summary>Allowed addresses of the policy host past the per-host cap, not fetched from.</summary>
    public int PolicyAddressesNotFetched { get; init; }
    public IReadOnlyList<MxHostObservation> MxHosts { get; init; } = [];
    /// <summary>False when STARTTLS probes were switched off (<c>--no-smtp</c>).</summary>
    public bool SmtpProbed { get; init; } = true;
    /// <summary>What the authoritative servers answered when asked directly; null when they were not asked.</summary>
    public NameServers.NameServerObservations? NameServers { get; init; }

    public string PolicyHost => $"mta-sts.{Domain}";
}

/// <summary>One MX host: its addresses, which of them the guard refused, and the STARTTLS probe if one ran.</summary>
/// <param name="AddressesNotTried">Allowed addresses the probe did not get to although none before them answered (the cap, or time).</param>
/// <param name="LookedUp">False for a host past the cap on MX hosts: neither looked up nor probed.</param>
public sealed record MxHostObservation(MxRecordData Record, DnsAnswer<IPAddress> Addresses, IReadOnlyList<IPAddress> Blocked, SmtpProbeResult? Probe,
    int AddressesNotTried = 0, bool LookedUp = true)
{
    /// <summary>
    /// True when the check's time ran out before the probe could start (on the first or a further address):
    /// <see cref="AddressesNotTried"/> counts what was left.
    /// </summary>
    public bool OutOfTime { get; init; }

    /// <summary>The TLSA lookup for DANE (RFC 7672); null when none was made (a host past the cap).</summary>
    public Dane.DaneObservation? Dane { get; init; }

    /// <summary>A host past the cap on MX hosts.</summary>
    public static MxHostObservation LeftOut(MxRecordData record) => new(record, DnsAnswer<IPAddress>.None(), [], null, LookedUp: false);
}
