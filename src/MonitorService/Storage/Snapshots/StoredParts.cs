namespace MonitorService.Storage.Snapshots;

// The shapes of the stored parts. Property names and order are the stored format: add to the end, never rename.

/// <summary>One MX record as stored: the host normalised (lower case, no trailing dot).</summary>
public sealed record StoredMxHost(int Preference, string Host, string? Cname, IReadOnlyList<string> Addresses);

/// <summary>The policy response as stored; <see cref="Valid"/> says whether senders could have fetched and used it.</summary>
public sealed record StoredPolicy(string Url, int? HttpStatus, string? ContentType, string? Raw, string? CertificateFingerprint, bool Valid);

/// <summary>A certificate a host presented (the policy host or an MX host), with what drift and digests compare.</summary>
public sealed record StoredCertificate(string Host, string Sha256Fingerprint, IReadOnlyList<string> DnsNames, DateTimeOffset NotAfter, string Issuer);
