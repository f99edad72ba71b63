namespace MonitorService.Alerts;

/// <summary>Alert mail, delivery and digest settings (configuration section "Alerts").</summary>
public sealed class AlertOptions
{
    public const string SectionName = "Alerts";

    /// <summary>Incident severities that alert, for teams without their own setting.</summary>
    public List<string> IncidentSeverities { get; set; } = ["error"];

    /// <summary>Drift event severities that alert, for teams without their own setting.</summary>
    public List<string> DriftSeverities { get; set; } = ["warning", "error"];

    /// <summary>Link target in mail: the dashboard's base URL (configuration key Dashboard:BaseUrl); no link when unset.</summary>
    public string? DashboardBaseUrl { get; set; }

    /// <summary>How often a node looks for mail to deliver.</summary>
    public TimeSpan DeliveryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Messages claimed per delivery run.</summary>
    public int BatchSize { get; set; } = 50;

    /// <summary>
    /// How long a claim holds: a node that dies mid-delivery leaves its messages to the others after this. Each message's
    /// claim is renewed right before its send, and one send may take at most half of this (so it ends while the claim
    /// holds and no other node sends it too); at least twice Smtp:Timeout, so that half still fits one slow reply.
    /// </summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>First wait after a transient failure; doubled each attempt up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long transient failures are retried before the message counts as failed (at least 24 hours).</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(48);

    public DigestDefaults Digest { get; set; } = new();

    public sealed class DigestDefaults
    {
        public DayOfWeek Day { get; set; } = DayOfWeek.Monday;
        public TimeOnly Time { get; set; } = new(8, 0);
        public string TimeZone { get; set; } = "UTC";
    }

    public static readonly string[] Severities = ["error", "warning", "info"];

    public IReadOnlyList<string> Validate(TimeSpan smtpTimeout)
    {
        var errors = new List<string>();
        foreach (var s in IncidentSeverities.Concat(DriftSeverities).Where(s => !Severities.Contains(s)))
            errors.Add($"Alerts: severity \"{s}\" is not one of error, warning, info.");
        if (DashboardBaseUrl is { Length: > 0 } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            errors.Add($"Dashboard:BaseUrl must be an absolute http(s) URL, not \"{url}\".");
        if (DeliveryInterval < TimeSpan.FromSeconds(1))
            errors.Add($"Alerts:DeliveryInterval must be at least 1 second, not {DeliveryInterval}.");
        if (BatchSize is < 1 or > 1000)
            errors.Add($"Alerts:BatchSize must be from 1 to 1000, not {BatchSize}.");
        if (ClaimLease < smtpTimeout * 2)
            errors.Add($"Alerts:ClaimLease ({ClaimLease}) must be at least twice Smtp:Timeout ({smtpTimeout}): one send may take at most half the lease, which must fit a slow reply.");
        if (InitialBackoff < TimeSpan.FromSeconds(1) || MaxBackoff < InitialBackoff)
            errors.Add("Alerts:InitialBackoff must be at least 1 second and Alerts:MaxBackoff at least as long.");
        if (RetryFor < TimeSpan.FromHours(24))
            errors.Add($"Alerts:RetryFor must be at least 24 hours, not {RetryFor}.");
        if (!TeamMailSettings.TryFindTimeZone(Digest.TimeZone, out _))
            errors.Add($"Alerts:Digest:TimeZone \"{Digest.TimeZone}\" is not a known time zone (use an IANA name such as Europe/Berlin).");
        return errors;
    }
}
