using MonitorService.Storage.Entities;

namespace MonitorService.Monitoring;

/// <summary>
/// The end of a domain's open (current) observation, which lives on the domain row so that an unchanged check
/// writes one row: its last check and how many checks saw the state.
/// </summary>
public sealed record OpenObservationEnd(DateTimeOffset LastSeenAt, int CheckCount)
{
    /// <summary>Null before the domain's first check.</summary>
    public static OpenObservationEnd? Of(MonitoredDomain domain)
        => domain.LastCheckedAt is { } at ? new OpenObservationEnd(at, Math.Max(domain.CurrentObservationChecks, 1)) : null;
}

/// <summary>Reads an observation's end whether it is closed (stored on it) or open (on the domain row).</summary>
public static class ObservationSpan
{
    public static DateTimeOffset LastSeen(this Observation observation, OpenObservationEnd? open)
        => observation.LastSeenAt ?? open?.LastSeenAt ?? observation.FirstSeenAt;

    public static int Checks(this Observation observation, OpenObservationEnd? open)
        => observation.CheckCount ?? open?.CheckCount ?? 1;

    /// <summary>
    /// <see cref="LastSeen"/> in SQL, for queries that join an observation (alias <paramref name="observation"/>) with
    /// its domain (alias <paramref name="domain"/>).
    /// </summary>
    public static string LastSeenSql(string observation, string domain)
        => $"COALESCE({observation}.last_seen_at, {domain}.last_checked_at, {observation}.first_seen_at)";
}
