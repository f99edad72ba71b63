namespace MonitorService.Digest;

/// <summary>A team's weekly health digest.</summary>
public sealed record DigestContent(string Team, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<DomainDigest> Domains, TimeZoneInfo TimeZone);

/// <summary>One domain in the digest.</summary>
/// <param name="Days">One entry per day of the week, oldest first: the worst status seen that day, or "none" when not checked.</param>
/// <param name="TestingSince">Set when the policy has been in testing mode for more than four weeks.</param>
public sealed record DomainDigest(
    string Name,
    string Status,
    string? Mode,
    DateTimeOffset? LastCheckedAt,
    IReadOnlyList<DayHealth> Days,
    IReadOnlyList<DigestChange> Changes,
    IReadOnlyList<DigestIncident> OpenIncidents,
    IReadOnlyList<ExpiringCertificate> ExpiringCertificates,
    DateTimeOffset? TestingSince,
    Uri? DashboardLink);

public sealed record DayHealth(DateOnly Day, string Status);

public sealed record DigestChange(DateTimeOffset At, string Code, string Severity, string Message);

public sealed record DigestIncident(string Code, string Severity, string? Subject, string Message, DateTimeOffset OpenedAt, TimeSpan Age);

/// <param name="Host">The MX host or the policy host the certificate belongs to.</param>
public sealed record ExpiringCertificate(string Host, DateTimeOffset NotAfter);
