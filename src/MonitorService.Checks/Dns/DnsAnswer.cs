namespace MonitorService.Checks.Dns;

/// <summary>
/// How a lookup ended. "No record" (NXDOMAIN, NODATA; <see cref="DnsAnswer{T}.NoSuchName"/> tells them apart) is a fact about the zone; "failed" (SERVFAIL, REFUSED,
/// timeout) says nothing about the zone. The two are never mixed up: a failed lookup is not a missing record.
/// </summary>
public enum DnsOutcome { Found, NoRecord, Failed }

/// <summary>The result of one lookup.</summary>
/// <param name="CanonicalName">The end of the CNAME chain when the name was an alias, else null.</param>
/// <param name="Error">Why the lookup failed, in words, when <see cref="Outcome"/> is <see cref="DnsOutcome.Failed"/>.</param>
public sealed record DnsAnswer<T>(DnsOutcome Outcome, IReadOnlyList<T> Records, string? CanonicalName = null, string? Error = null)
{
    /// <summary>
    /// True when the name itself does not exist (NXDOMAIN, no alias on the way): nothing exists at or below it
    /// (RFC 8020). False for NODATA: the name exists, only not with this type.
    /// </summary>
    public bool NoSuchName { get; init; }

    /// <summary>What DNSSEC validation concluded about this answer; <see cref="DnssecStatus.NotValidated"/> without a validator.</summary>
    public DnssecStatus Security { get; init; } = DnssecStatus.NotValidated;

    /// <summary>Why the answer is <see cref="DnssecStatus.Bogus"/> or <see cref="DnssecStatus.Indeterminate"/>, in words.</summary>
    public string? SecurityReason { get; init; }

    public static DnsAnswer<T> None(string? canonicalName = null) => new(DnsOutcome.NoRecord, [], canonicalName);

    public static DnsAnswer<T> NxDomain() => new(DnsOutcome.NoRecord, []) { NoSuchName = true };
    public static DnsAnswer<T> Fail(string error) => new(DnsOutcome.Failed, [], null, error);
}

/// <summary>One MX record.</summary>
public sealed record MxRecordData(int Preference, string Host);
