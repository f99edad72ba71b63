using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;

namespace MonitorService.Accounts;

/// <summary>A team's alert and digest settings as the team page edits them (the columns alert mail reads).</summary>
/// <param name="IncidentThreshold">"error" or "warning": the least incident severity that alerts.</param>
/// <param name="DriftThreshold">"error" or "warning": the least drift severity that alerts.</param>
/// <param name="DigestRecipients">Digest recipients; empty = every recipient of the team's domains.</param>
/// <param name="DigestDay">Day of the weekly digest; null = the service default.</param>
/// <param name="DigestTime">Local time of the weekly digest; null = the service default.</param>
/// <param name="TimeZone">IANA zone of day and time; empty = the service default.</param>
public sealed record TeamAlertSettingsInput(
    string IncidentThreshold, string DriftThreshold, IReadOnlyList<string> DigestRecipients,
    DayOfWeek? DigestDay, TimeOnly? DigestTime, string? TimeZone, bool DigestEnabled);

/// <summary>Validates and stores a team's alert and digest settings.</summary>
public sealed class TeamAlertSettings(IDbContextFactory<MonitorDbContext> dbFactory)
{
    public static readonly string[] Thresholds = ["error", "warning"];

    /// <summary>The severities at and above a threshold, as alert mail stores them.</summary>
    public static List<string> SeveritiesFrom(string threshold) => threshold == "warning" ? ["error", "warning"] : ["error"];

    /// <summary>The threshold the stored severities amount to (null = the service default).</summary>
    public static string? ThresholdOf(IReadOnlyCollection<string>? severities) =>
        severities is null ? null : severities.Contains("warning") ? "warning" : "error";

    /// <summary>Saves the settings; returns the problems instead when any value is refused.</summary>
    public async Task<IReadOnlyList<string>> SaveAsync(Guid teamId, TeamAlertSettingsInput input, CancellationToken ct)
    {
        var problems = new List<string>();
        var addresses = new List<string>();
        foreach (var recipient in input.DigestRecipients.Select(r => r.Trim()).Where(r => r.Length > 0))
        {
            if (Mail.EmailAddress.TryParse(recipient, out var address))
                addresses.Add(address);
            else
                problems.Add($"\"{recipient}\" is not an e-mail address.");
        }
        if (!Thresholds.Contains(input.IncidentThreshold) || !Thresholds.Contains(input.DriftThreshold))
            problems.Add($"Alert thresholds are one of {string.Join(", ", Thresholds)}.");
        var zone = input.TimeZone?.Trim();
        if (!string.IsNullOrEmpty(zone) && !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
            problems.Add($"\"{zone}\" is not a time zone (use an IANA name such as Europe/Berlin).");
        if (problems.Count > 0)
            return problems;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var team = await db.Teams.FirstAsync(t => t.Id == teamId, ct);
        team.AlertIncidentSeverities = SeveritiesFrom(input.IncidentThreshold);
        team.AlertDriftSeverities = SeveritiesFrom(input.DriftThreshold);
        team.DigestRecipients = addresses.Count == 0 ? null : addresses.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        team.DigestDay = input.DigestDay;
        team.DigestTime = input.DigestTime;
        team.TimeZone = string.IsNullOrEmpty(zone) ? null : zone;
        team.DigestEnabled = input.DigestEnabled;
        await db.SaveChangesAsync(ct);
        return [];
    }
}
