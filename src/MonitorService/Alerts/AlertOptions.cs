namespace MonitorService.Alerts;

/// <summary>What alerts and the digest defaults (configuration section "Alerts"; delivery settings are <see cref="Mail.DeliveryOptions"/>).</summary>
public sealed class AlertOptions
{
    public const string SectionName = "Alerts";

    /// <summary>Incident severities that alert, for teams without their own setting.</summary>
    public List<string> IncidentSeverities { get; set; } = ["error"];

    /// <summary>Drift event severities that alert, for teams without their own setting.</summary>
    public List<string> DriftSeverities { get; set; } = ["warning", "error"];

    /// <summary>Link target in mail: the dashboard's base URL (configuration key Dashboard:BaseUrl); no link when unset.</summary>
    public string? DashboardBaseUrl { get; set; }

    public DigestDefaults Digest { get; set; } = new();

    public sealed class DigestDefaults
    {
        public DayOfWeek Day { get; set; } = DayOfWeek.Monday;
        public TimeOnly Time { get; set; } = new(8, 0);
        public string TimeZone { get; set; } = "UTC";
    }

    public static readonly string[] Severities = ["error", "warning", "info"];

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var s in IncidentSeverities.Concat(DriftSeverities).Where(s => !Severities.Contains(s)))
            errors.Add($"Alerts: severity \"{s}\" is not one of error, warning, info.");
        if (DashboardBaseUrl is { Length: > 0 } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            errors.Add($"Dashboard:BaseUrl must be an absolute http(s) URL, not \"{url}\".");
        if (!TeamMailSettings.TryFindTimeZone(Digest.TimeZone, out _))
            errors.Add($"Alerts:Digest:TimeZone \"{Digest.TimeZone}\" is not a known time zone (use an IANA name such as Europe/Berlin).");
        return errors;
    }
}
