namespace MonitorService.Testing;

/// <summary>What <see cref="TestCertificateAuthority.IssueLeaf(LeafCertificateOptions)"/> puts into a leaf certificate.</summary>
public sealed record LeafCertificateOptions
{
    /// <summary>DNS names for the subjectAltName extension (wildcards such as "*.example.com" are allowed).</summary>
    public IReadOnlyList<string> DnsNames { get; init; } = [];

    /// <summary>IP addresses for the subjectAltName extension (a server reached as https://127.0.0.1:PORT/).</summary>
    public IReadOnlyList<System.Net.IPAddress> IpAddresses { get; init; } = [];

    /// <summary>Subject CN. Defaults to the first DNS name, else the first IP address.</summary>
    public string? CommonName { get; init; }

    /// <summary>Start of validity. Defaults to now - 1 day.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>End of validity. Defaults to now + 90 days.</summary>
    public DateTimeOffset? NotAfter { get; init; }

    /// <summary>When false, no subjectAltName extension is written (CN-only certificate).</summary>
    public bool IncludeSubjectAlternativeName { get; init; } = true;

    /// <summary>When false, the serverAuth extended key usage is left out.</summary>
    public bool IncludeServerAuthEku { get; init; } = true;

    /// <summary>
    /// URL written as the Authority Information Access caIssuers entry: where a client may download the issuer when
    /// the server does not send it. Null (the default): no AIA extension.
    /// </summary>
    public string? CaIssuersUrl { get; init; }

    /// <summary>URL written as the AIA OCSP entry (online revocation status). Null: none.</summary>
    public string? OcspUrl { get; init; }

    /// <summary>URL written as the CRL distribution point (online revocation list). Null: no such extension.</summary>
    public string? CrlUrl { get; init; }
}
