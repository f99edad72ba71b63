using MonitorService.Checks.Model;
using MonitorService.Storage.Entities;

namespace MonitorService.Monitoring;

/// <summary>What one check did to a domain's incidents.</summary>
public sealed record IncidentChanges(
    IReadOnlyList<Incident> Created,
    IReadOnlyList<Incident> Opened,
    IReadOnlyList<Incident> Closed,
    IReadOnlyList<Incident> Discarded,
    bool AwaitingConfirmation);

/// <summary>
/// Turns findings into incidents. A warning or error finding opens an incident at once, unless it is transient (a
/// failed lookup, an unreachable server, a timeout): those stay pending until consecutive checks confirm them, and a
/// pending one that goes away is discarded without a trace in the domain's state. Pure: it changes the entities it is
/// given and returns what changed; storing is the caller's job.
/// </summary>
public static class IncidentRules
{
    private static readonly HashSet<string> TransientCodes =
    [
        FindingCodes.MtaStsTxtDnsError, FindingCodes.MxDnsError, FindingCodes.TlsRptDnsError,
        FindingCodes.PolicyUnreachable, FindingCodes.PolicySlow, FindingCodes.SmtpUnreachable, FindingCodes.SmtpTlsFailed,
        FindingCodes.CheckTimeout, FindingCodes.PolicyInconsistent, FindingCodes.DaneTlsaDnsError,
        // As a warning it means a slow server cost its probe this time; only what persists is worth an incident.
        FindingCodes.CheckLimited,
    ];

    public static bool IsTransient(string code) => TransientCodes.Contains(code);

    /// <param name="active">The domain's incidents that are not closed (open or pending).</param>
    /// <param name="previousCheckAt">The domain's check before this one: the last sighting of an incident this check closes.</param>
    public static IncidentChanges Reconcile(Guid domainId, IReadOnlyList<Incident> active, IReadOnlyList<Finding> findings, DateTimeOffset now,
        DateTimeOffset? previousCheckAt, int confirmations)
    {
        var current = findings
            .Where(f => f.Severity >= Severity.Warning)
            .GroupBy(f => (f.Code, Subject: f.Subject ?? ""))
            .ToDictionary(g => g.Key, g => g.First());
        var byKey = active.ToDictionary(i => (i.Code, i.Subject));
        List<Incident> created = [], opened = [], closed = [], discarded = [];

        foreach (var (key, finding) in current)
        {
            if (!byKey.TryGetValue(key, out var incident))
            {
                incident = new Incident
                {
                    DomainId = domainId, Code = key.Code, Subject = key.Subject, Severity = "", Message = "",
                    FirstSeenAt = now,
                };
                created.Add(incident);
            }
            incident.Severity = finding.Severity.Name();
            incident.Message = finding.Message;
            incident.Fix = finding.Fix;
            // An open incident is not touched while it lasts (its last sighting is the domain's last check), so an
            // unchanged check writes nothing here; a pending one counts towards its confirmation.
            if (incident.OpenedAt is not null)
                continue;
            incident.LastSeenAt = now;
            incident.SeenCount++;
            if (!IsTransient(key.Code) || incident.SeenCount >= confirmations)
            {
                incident.OpenedAt = now;
                opened.Add(incident);
            }
        }
        foreach (var incident in active.Where(i => !current.ContainsKey((i.Code, i.Subject))))
        {
            if (incident.OpenedAt is null)
            {
                discarded.Add(incident);
                continue;
            }
            // Open until now means every check since saw it, the previous one last.
            incident.LastSeenAt = previousCheckAt ?? incident.LastSeenAt;
            incident.ClosedAt = now;
            closed.Add(incident);
        }
        var awaiting = active.Concat(created).Any(i => i.OpenedAt is null && !discarded.Contains(i));
        return new IncidentChanges(created, opened, closed, discarded, awaiting);
    }

    /// <summary>
    /// When the incident was last seen: an open one by the domain's last check (that is not written on it per check),
    /// a closed or pending one when stored.
    /// </summary>
    public static DateTimeOffset LastSighting(Incident incident, DateTimeOffset? domainLastCheck)
        => incident.ClosedAt is null && incident.OpenedAt is not null && domainLastCheck > incident.LastSeenAt ? domainLastCheck.Value : incident.LastSeenAt;

    /// <summary>A domain's status: the worst severity among its open incidents.</summary>
    public static string StatusOf(IEnumerable<Incident> openIncidents)
    {
        var severities = openIncidents.Where(i => i.OpenedAt is not null && i.ClosedAt is null).Select(i => i.Severity).ToList();
        return severities.Contains("error") ? DomainStatus.Error : severities.Contains("warning") ? DomainStatus.Warning : DomainStatus.Ok;
    }
}
