using MonitorService.Checks.Model;
using MonitorService.Monitoring;
using MonitorService.Monitoring.Drift;

namespace MonitorService.Alerts;

/// <summary>
/// Decides what one recorded check tells the team: the incidents it opened and the drift events it produced at an
/// alerting severity (nothing for an incident that stays open), and the incidents it closed. Pure.
/// </summary>
public static class AlertComposer
{
    /// <summary>Null when the check brought nothing the team wants mail about.</summary>
    public static AlertContent? Compose(MonitoredCheckResult result, TeamMailSettings settings, string? dashboardBaseUrl)
    {
        var opened = result.Incidents.Opened
            .Where(i => settings.IncidentSeverities.Contains(i.Severity))
            .Select(i => new AlertItem("incident", i.Code, i.Severity, NullIfEmpty(i.Subject), i.Message, i.Fix, null, i.OpenedAt));
        var drift = result.Events
            .Where(e => settings.DriftSeverities.Contains(e.Severity.Name()))
            .Select(Item);
        var alerting = drift.Concat(opened)
            .OrderByDescending(i => AlertHeadline.Rank(i.Severity))
            .ThenBy(i => i.Source == "drift" ? 0 : 1)
            .ThenBy(i => i.Code, StringComparer.Ordinal).ThenBy(i => i.Subject, StringComparer.Ordinal)
            .ToList();
        var resolved = result.Incidents.Closed
            .Where(i => settings.IncidentSeverities.Contains(i.Severity))
            .Select(i => new AlertItem("incident", i.Code, i.Severity, NullIfEmpty(i.Subject), i.Message, null, null, i.OpenedAt))
            .ToList();
        if (alerting.Count == 0 && resolved.Count == 0)
            return null;

        // The other changes of this check (an MX set or policy before/after) explain the alert; alone they send nothing.
        var context = alerting.Count == 0 ? [] : result.Events.Except(result.Events.Where(e => settings.DriftSeverities.Contains(e.Severity.Name()))).Select(Item).ToList();
        var headline = alerting.Count > 0
            ? AlertHeadline.For(alerting)
            : resolved.Count == 1 ? $"resolved: {AlertHeadline.For(resolved)}" : $"resolved: {resolved.Count} problems";
        return new AlertContent(result.Domain, headline, result.Report.CheckedAt, alerting, context, resolved, DashboardLink(dashboardBaseUrl, result.DomainId));
    }

    /// <summary>The domain's page (<c>/domains/{id}</c>: a name is not unique, two teams may register it), or null without a dashboard address.</summary>
    public static Uri? DashboardLink(string? baseUrl, Guid domainId) =>
        string.IsNullOrWhiteSpace(baseUrl) ? null : new Uri($"{baseUrl.TrimEnd('/')}/domains/{domainId}");

    private static AlertItem Item(DriftEvent e) =>
        new("drift", e.Code, e.Severity.Name(), e.Subject, e.Message, e.Fix, e.Until);

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
