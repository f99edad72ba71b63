using System.Text.Json.Serialization;

namespace MonitorService.Checks.Model;

/// <summary>
/// Everything one check of one domain saw, and what it concluded. Serialised as the <c>check --format json</c>
/// object (camelCase), and later stored as the monitor's snapshot source, so it carries raw values, not only verdicts.
/// </summary>
public sealed record CheckReport
{
    public required string Domain { get; init; }
    public required DateTimeOffset CheckedAt { get; init; }
    public required TxtSection Txt { get; init; }
    public PolicySection? Policy { get; init; }
    public required IReadOnlyList<MxHostReport> Mx { get; init; }
    public TlsRptSection? TlsRpt { get; init; }

    /// <summary>
    /// The DNSSEC verdict of every answer the check used; null (and absent from JSON and stored snapshots, whose
    /// hashes therefore do not change) when validation is off.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<DnssecNameReport>? Dnssec { get; init; }

    public required IReadOnlyList<Finding> Findings { get; init; }

    /// <summary>
    /// The domain's authoritative servers asked directly; null when the check did not ask them (no delegation found).
    /// </summary>
    [JsonPropertyName("nameservers")]
    public NameServerSection? NameServers { get; init; }

    /// <summary>Worst severity: "ok" when there are only info findings (or none).</summary>
    public string Status => Findings.Count == 0 ? "ok" : Findings.Max(f => f.Severity) switch
    {
        Severity.Error => "error",
        Severity.Warning => "warning",
        _ => "ok",
    };

    public bool HasErrors => Findings.Any(f => f.Severity == Severity.Error);
}

/// <summary>The <c>_mta-sts</c> TXT records (strings of one record already joined) and the id of the one valid record.</summary>
public sealed record TxtSection(IReadOnlyList<string> Records, string? Id, string? LookupError = null);

/// <summary>The policy as fetched. <see cref="Raw"/> is the body as served (up to the size limit).</summary>
public sealed record PolicySection
{
    public required string Url { get; init; }
    public string? Mode { get; init; }
    public long? MaxAge { get; init; }
    public IReadOnlyList<string> Mx { get; init; } = [];
    public string? Raw { get; init; }
    public int? HttpStatus { get; init; }
    public string? ContentType { get; init; }
    /// <summary>The address the reported response came from; others are compared with it.</summary>
    public string? Address { get; init; }
    public CertificateReport? Certificate { get; init; }
    public double? ElapsedMs { get; init; }
    public string? Error { get; init; }
}

public sealed record MxHostReport
{
    public required string Host { get; init; }
    public required int Preference { get; init; }
    /// <summary>Null when no usable policy exists to match against.</summary>
    public bool? Covered { get; init; }
    public string? CoveredBy { get; init; }
    /// <summary>The canonical name when the MX host is an alias (CNAME), else null.</summary>
    public string? Cname { get; init; }
    public IReadOnlyList<string> Addresses { get; init; } = [];
    public TlsReport? Tls { get; init; }
    /// <summary>
    /// DANE of this host; null (and then left out of the JSON, so reports and stored snapshots of hosts without TLSA
    /// records are what they were before DANE was checked) when the host publishes no TLSA records.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public DaneReport? Dane { get; init; }
}

public sealed record TlsReport
{
    /// <summary>The address that was probed.</summary>
    public string? Address { get; init; }
    public bool Connected { get; init; }
    public string? Greeting { get; init; }
    public bool Starttls { get; init; }
    public string? Protocol { get; init; }
    public string? CipherSuite { get; init; }
    public CertificateReport? Certificate { get; init; }
    public string? Error { get; init; }
}

public sealed record CertificateReport
{
    public required string Subject { get; init; }
    public required string Issuer { get; init; }
    public required IReadOnlyList<string> DnsNames { get; init; }
    public required DateTimeOffset NotBefore { get; init; }
    public required DateTimeOffset NotAfter { get; init; }
    public required string Sha256Fingerprint { get; init; }
    /// <summary>Whether the chain leads to a trusted root (system roots plus any configured extra roots).</summary>
    public required bool Trusted { get; init; }
    /// <summary>Chain problems in words, empty when trusted.</summary>
    public IReadOnlyList<string> ChainErrors { get; init; } = [];
    /// <summary>Whether a DNS subject alternative name matches the host name that was asked for.</summary>
    public required bool MatchesHost { get; init; }
}

/// <summary>One validated answer: the name and type asked, "secure", "insecure", "bogus" or "indeterminate", and why.</summary>
public sealed record DnssecNameReport(string Name, string Type, string Status, string? Reason);

public sealed record TlsRptSection(IReadOnlyList<string> Records, IReadOnlyList<string> Rua, string? LookupError = null);
