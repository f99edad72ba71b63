namespace MonitorService.Storage.Entities;

/// <summary>An ops team: owns domains; its members see only its domains.</summary>
public sealed class Team
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<MonitoredDomain> Domains { get; set; } = [];
    public List<TeamMember> Members { get; set; } = [];

    // Alert settings edited on the team page. Alert mail itself is another feature; it reads these.
    /// <summary>Who gets the team's alerts in addition to each domain's own recipients.</summary>
    public List<string> AlertRecipients { get; set; } = [];
    /// <summary>The least severity that sends an alert: error, warning or info.</summary>
    public string AlertMinSeverity { get; set; } = "warning";
    /// <summary>Day of the weekly digest (Monday..Sunday), or null for a daily digest.</summary>
    public DayOfWeek? DigestDay { get; set; }
    /// <summary>Local time of day the digest goes out, or null for no digest.</summary>
    public TimeOnly? DigestTime { get; set; }
    /// <summary>IANA time zone of <see cref="DigestTime"/>.</summary>
    public string DigestTimeZone { get; set; } = "UTC";
}
