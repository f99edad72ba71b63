using Microsoft.EntityFrameworkCore;
using MonitorService.Monitoring.Drift;
using MonitorService.Storage;
using MonitorService.Storage.Snapshots;

namespace MonitorService.Monitoring;

/// <summary>Reads what drift detection compares against: the last known state per part, and the policy history.</summary>
public static class DomainHistoryReader
{
    /// <summary>How far back to look for the last check in which a part was known.</summary>
    private const int LookBack = 50;

    /// <summary>
    /// Per part, the value from the most recent observation in which it was known, skipping <paramref name="excludeId"/>
    /// (this check's new observation). Null when the domain has no earlier observation.
    /// </summary>
    public static async Task<DomainState?> PreviousStateAsync(MonitorDbContext db, Guid domainId, long? excludeId, CancellationToken ct)
    {
        var recent = await db.Observations.AsNoTracking()
            .Where(o => o.DomainId == domainId && o.Id != excludeId)
            .OrderByDescending(o => o.Id)
            .Take(LookBack)
            .ToListAsync(ct);
        if (recent.Count == 0)
            return null;
        var mx = recent.FirstOrDefault(o => o.MxSnapshotId is not null);
        var txt = recent.FirstOrDefault(o => o.TxtSnapshotId is not null);
        var policy = recent.FirstOrDefault(o => o.PolicyValid);
        // DANE is read from the stored report of the same check as the MX set: both need the MX lookup to have answered.
        var contents = await ContentsAsync(db, [mx?.MxSnapshotId, policy?.PolicySnapshotId, mx?.ReportSnapshotId], ct);
        return new DomainState(
            mx is null ? null : SnapshotContent.ReadMxHosts(contents[mx.MxSnapshotId!.Value]),
            txt is not null,
            txt?.TxtId,
            policy is null ? null : CheckSnapshot.PolicyVersionOf(SnapshotContent.ReadPolicyBody(contents[policy.PolicySnapshotId!.Value])),
            recent[0].PolicyFetchFailed,
            mx is null ? null : DaneHostState.Of(SnapshotContent.ReadReport(contents[mx.ReportSnapshotId])));
    }

    /// <summary>
    /// Every policy senders could have fetched, per (body, id), with when it was first and last seen; oldest first.
    /// <paramref name="open"/> is the end of the domain's open observation (see <see cref="OpenObservationEnd"/>).
    /// </summary>
    public static async Task<IReadOnlyList<PolicyObservation>> PolicyHistoryAsync(MonitorDbContext db, Guid domainId, OpenObservationEnd? open, CancellationToken ct)
    {
        var groups = await db.Observations.AsNoTracking()
            .Where(o => o.DomainId == domainId && o.PolicyValid && o.PolicySnapshotId != null)
            .GroupBy(o => new { o.PolicySnapshotId, o.TxtId })
            .Select(g => new
            {
                g.Key.PolicySnapshotId, g.Key.TxtId, FirstSeen = g.Min(o => o.FirstSeenAt),
                LastClosed = g.Max(o => o.LastSeenAt), IncludesOpen = g.Any(o => o.LastSeenAt == null),
            })
            .ToListAsync(ct);
        var contents = await ContentsAsync(db, groups.Select(g => g.PolicySnapshotId), ct);
        return groups
            .Select(g => new PolicyObservation(CheckSnapshot.PolicyVersionOf(SnapshotContent.ReadPolicyBody(contents[g.PolicySnapshotId!.Value])), g.TxtId, g.FirstSeen,
                g.IncludesOpen ? open?.LastSeenAt ?? g.FirstSeen : g.LastClosed ?? g.FirstSeen))
            .OrderBy(p => p.LastSeen)
            .ToList();
    }

    private static async Task<Dictionary<long, string>> ContentsAsync(MonitorDbContext db, IEnumerable<long?> ids, CancellationToken ct)
    {
        var wanted = ids.OfType<long>().Distinct().ToList();
        if (wanted.Count == 0)
            return [];
        return await db.Snapshots.AsNoTracking().Where(s => wanted.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Content, ct);
    }
}
