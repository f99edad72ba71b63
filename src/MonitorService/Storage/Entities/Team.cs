namespace MonitorService.Storage.Entities;

/// <summary>An ops team: owns domains; its members see only its domains. Also holds the team's mail settings.</summary>
public sealed class Team
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<MonitoredDomain> Domains { get; set; } = [];

    /// <summary>Incident severities that send an alert ("error", "warning"); null = the service default (Alerts:IncidentSeverities).</summary>
    public List<string>? AlertIncidentSeverities { get; set; }
    /// <summary>Drift event severities that send an alert; null = the service default (Alerts:DriftSeverities).</summary>
    public List<string>? AlertDriftSeverities { get; set; }
    /// <summary>Who gets the weekly digest; null or empty = every recipient of the team's domains.</summary>
    public List<string>? DigestRecipients { get; set; }
    /// <summary>Day of the weekly digest; null = Alerts:Digest:Day.</summary>
    public DayOfWeek? DigestDay { get; set; }
    /// <summary>Local time of day of the weekly digest; null = Alerts:Digest:Time.</summary>
    public TimeOnly? DigestTime { get; set; }
    /// <summary>IANA time zone the digest day and time are in; null = Alerts:Digest:TimeZone.</summary>
    public string? TimeZone { get; set; }
    public bool DigestEnabled { get; set; } = true;
    /// <summary>
    /// The team's own TLS-RPT report address part (<c>TlsRpt:PublicUrl</c>/KEY, <c>local+KEY@…</c> of
    /// <c>TlsRpt:MailboxAddress</c>): reports sent there are shown to this team. Not a secret — domains publish it in
    /// DNS — it says whose reports they are, because only the domain's owner decides where senders send them.
    /// </summary>
    public string TlsRptKey { get; set; } = TlsRptKeys.New();
    public List<TeamMember> Members { get; set; } = [];
}
