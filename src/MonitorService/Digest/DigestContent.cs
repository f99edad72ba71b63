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
    Uri? DashboardLink,
    SendersDigest? Senders = null);

/// <summary>"What senders saw" over the digest's week (TLS-RPT report days, UTC); null when no sender reported. Names came from reports.</summary>
public sealed record SendersDigest(DateOnly From, DateOnly To, int Reports, long Successful, long Failed, IReadOnlyList<SenderCount> TopResultTypes, IReadOnlyList<SenderCount> TopOrganizations)
{
    public string FailureRate => Successful + Failed == 0 ? "0 %" : (100.0 * Failed / (Successful + Failed)).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + " %";
}

/// <summary>A result type or an organisation with its failed sessions (and, for organisations, all its sessions).</summary>
public sealed record SenderCount(string Name, long Failed, long Sessions);

public sealed record DayHealth(DateOnly Day, string Status);

public sealed record DigestChange(DateTimeOffset At, string Code, string Severity, string Message);

public sealed record DigestIncident(string Code, string Severity, string? Subject, string Message, DateTimeOffset OpenedAt, TimeSpan Age);

/// <param name="Host">The MX host or the policy host the certificate belongs to.</param>
public sealed record ExpiringCertificate(string Host, DateTimeOffset NotAfter);
