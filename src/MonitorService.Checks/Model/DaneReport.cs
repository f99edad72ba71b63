namespace MonitorService.Checks.Model;

/// <summary>
/// DANE (RFC 7672) for one MX host: the TLSA records at <c>_25._tcp.&lt;host&gt;</c>, which of them senders can use,
/// whether one matches what the host presented in our STARTTLS probe, and whether DNSSEC secures the way there (the MX
/// answer, the host's addresses and the TLSA answer). Present only for hosts that publish TLSA records, or whose TLSA
/// lookup failed: a host without DANE has no entry (and its report, as stored, stays byte for byte what it was).
/// </summary>
public sealed record DaneReport
{
    /// <summary>The name whose TLSA records apply (<c>_25._tcp.</c> + the TLSA base domain, RFC 7672 §2.2.3).</summary>
    public required string TlsaName { get; init; }
    public IReadOnlyList<TlsaRecordReport> Records { get; init; } = [];
    /// <summary>At least one record has a usage, selector and matching type that SMTP senders use (RFC 7672 §3.1).</summary>
    public bool Usable { get; init; }
    /// <summary>A usable record matches the presented certificate or chain; null when the probe saw no certificate.</summary>
    public bool? Matched { get; init; }
    /// <summary>The MX answer, the host's addresses and the TLSA answer are all DNSSEC-secure: DANE senders apply the records.</summary>
    public bool Secure { get; init; }
    /// <summary>One word for the dashboard and scripts; see <see cref="DaneStatuses"/>.</summary>
    public required string Status { get; init; }
    /// <summary>The DNSSEC status of the MX answer, the host's addresses and the TLSA answer, in that order of lookup.</summary>
    public required DaneSecurity Dnssec { get; init; }
    /// <summary>Why the TLSA lookup failed, when it did.</summary>
    public string? Error { get; init; }
}

/// <summary>One TLSA record as published, and what we made of it.</summary>
/// <param name="Data">The association data in lower-case hex.</param>
/// <param name="Problem">Why senders cannot use the record, or why it does not match (name check), else null.</param>
public sealed record TlsaRecordReport(int Usage, int Selector, int MatchingType, string Data, bool Usable, bool Matched, string? Problem);

/// <summary>DNSSEC status names ("secure", "insecure", "bogus", "indeterminate", "not-validated") of the answers DANE depends on.</summary>
public sealed record DaneSecurity(string Mx, string Addresses, string Tlsa);

/// <summary>The values of <see cref="DaneReport.Status"/>.</summary>
public static class DaneStatuses
{
    /// <summary>Secure, and a usable record matches what the host presented.</summary>
    public const string Matched = "matched";
    /// <summary>Secure and usable records, none matching: DANE senders refuse to deliver.</summary>
    public const string Mismatch = "mismatch";
    /// <summary>Secure records, none usable: senders require TLS but do not authenticate it.</summary>
    public const string Unusable = "unusable";
    /// <summary>Secure and usable records, but the probe saw no certificate to match them against.</summary>
    public const string Untested = "untested";
    /// <summary>Records exist, but an answer on the way is provably unsigned: senders ignore them.</summary>
    public const string Insecure = "insecure";
    /// <summary>An answer on the way failed validation: DANE senders defer mail (RFC 7672 §2.1.1).</summary>
    public const string Bogus = "bogus";
    /// <summary>Validation could not finish for an answer on the way.</summary>
    public const string Indeterminate = "indeterminate";
    /// <summary>No DNSSEC validation ran, so whether senders apply the records is unknown.</summary>
    public const string NotValidated = "not-validated";
    /// <summary>The TLSA lookup failed (SERVFAIL, timeout).</summary>
    public const string DnsError = "dns-error";
}
