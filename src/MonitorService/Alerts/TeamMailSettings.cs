using MonitorService.Storage.Entities;

namespace MonitorService.Alerts;

/// <summary>A team's effective mail settings: its own where it has them, the service defaults elsewhere.</summary>
public sealed record TeamMailSettings(
    IReadOnlySet<string> IncidentSeverities,
    IReadOnlySet<string> DriftSeverities,
    DayOfWeek DigestDay,
    TimeOnly DigestTime,
    TimeZoneInfo TimeZone,
    bool DigestEnabled)
{
    public static TeamMailSettings For(Team team, AlertOptions defaults) => new(
        (team.AlertIncidentSeverities ?? defaults.IncidentSeverities).ToHashSet(StringComparer.Ordinal),
        (team.AlertDriftSeverities ?? defaults.DriftSeverities).ToHashSet(StringComparer.Ordinal),
        team.DigestDay ?? defaults.Digest.Day,
        team.DigestTime ?? defaults.Digest.Time,
        TryFindTimeZone(team.TimeZone ?? defaults.Digest.TimeZone, out var zone) ? zone : TimeZoneInfo.Utc,
        team.DigestEnabled);

    public static bool TryFindTimeZone(string id, out TimeZoneInfo zone)
    {
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            zone = TimeZoneInfo.Utc;
            return false;
        }
    }

    /// <summary>
    /// The start of the digest week <paramref name="now"/> falls in, as a date in the team's zone: the most recent digest
    /// day on or before today. Keys the "once per team per week" rule.
    /// </summary>
    public DateOnly WeekOf(DateTimeOffset now)
    {
        var local = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, TimeZone).DateTime);
        var back = ((int)local.DayOfWeek - (int)DigestDay + 7) % 7;
        return local.AddDays(-back);
    }
}
