using System.Globalization;

namespace MonitorService.Web.Pages;

/// <summary>How the dashboard writes times, durations and severities. Razor escapes every value it prints.</summary>
public static class Display
{
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "—";

    /// <summary>"3 March 2026": the day people say when they talk about a policy version.</summary>
    public static string Day(DateTimeOffset time) => time.ToUniversalTime().ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string Every(int seconds) => MonitorService.Domains.DurationParser.Format(TimeSpan.FromSeconds(seconds));

    public static string Ago(DateTimeOffset? time, DateTimeOffset now)
    {
        if (time is not { } t)
            return "never";
        var span = now - t;
        return span.TotalMinutes < 1 ? "just now"
            : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} min ago"
            : span.TotalDays < 1 ? $"{(int)span.TotalHours} h ago"
            : $"{(int)span.TotalDays} d ago";
    }

    /// <summary>CSS class of a status or severity: colour is never the only signal, the text is always shown too.</summary>
    public static string Tone(string? status) => status switch
    {
        "error" => "tone-error",
        "warning" => "tone-warning",
        "ok" => "tone-ok",
        "info" => "tone-info",
        _ => "tone-pending",
    };

    public static string Severity(Checks.Model.Severity severity) => severity switch
    {
        Checks.Model.Severity.Error => "error",
        Checks.Model.Severity.Warning => "warning",
        _ => "info",
    };
}
