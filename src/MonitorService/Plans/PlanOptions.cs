namespace MonitorService.Plans;

/// <summary>Settings of planned MX changes (configuration section "Plans").</summary>
public sealed class PlanOptions
{
    public const string SectionName = "Plans";

    /// <summary>How long checks must stay free of errors before a plan says testing may become enforce.</summary>
    public TimeSpan CleanPeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Link target in plan mail: the dashboard's base URL (configuration key Dashboard:BaseUrl); no link when unset.</summary>
    public string? DashboardBaseUrl { get; set; }

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (CleanPeriod < TimeSpan.FromMinutes(1) || CleanPeriod > TimeSpan.FromDays(365))
            errors.Add($"Plans:CleanPeriod must be from 1 minute to 365 days, not {CleanPeriod}.");
        if (DashboardBaseUrl is { Length: > 0 } url && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
            errors.Add($"Dashboard:BaseUrl must be an absolute http(s) URL, not \"{url}\".");
        return errors;
    }
}
