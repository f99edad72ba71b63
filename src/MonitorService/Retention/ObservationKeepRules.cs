using MonitorService.Monitoring;
using MonitorService.Monitoring.Drift;

namespace MonitorService.Retention;

/// <summary>One observation of a domain as the keep rules see it (no snapshot contents).</summary>
/// <param name="LastSeenAt">Null while the observation is open (the domain's current state).</param>
/// <param name="ReferencedByDriftEvent">A stored drift event names it (as the state it came from or went to).</param>
public sealed record ObservationFacts(
    long Id,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset? LastSeenAt,
    bool MxKnown,
    bool TxtKnown,
    bool PolicyValid,
    long? PolicySnapshotId,
    string? TxtId,
    bool ReferencedByDriftEvent);

/// <summary>
/// Which of a domain's observations retention may delete: those that ended before the cutoff and that nothing still
/// reads. Pure. What drift detection reads, and so what is kept whatever its age:
/// <list type="bullet">
/// <item>the open observation (the domain's current state, whose end lives on the domain row);</item>
/// <item>the newest observation overall and the newest in which the MX set, the TXT record and a valid policy were
///   known: <see cref="DomainHistoryReader.PreviousStateAsync"/> compares the next check with them;</item>
/// <item>per policy (body snapshot + TXT id, the grouping of <see cref="DomainHistoryReader.PolicyHistoryAsync"/>)
///   that senders may still hold (<see cref="SenderCacheClock"/>: last seen + max_age still ahead), the observation
///   that saw it last: it carries the window's end;</item>
/// <item>the last policy senders could cache at all: DRIFT_POLICY_UNREACHABLE says when its copies ran out;</item>
/// <item>the last observation that served the newest valid body under a TXT id: <see cref="PolicyHistory.EarlierId"/>
///   tells a stale id from a new one with it;</item>
/// <item>observations a remaining drift event refers to.</item>
/// </list>
/// Deleting other members of a kept policy's group changes neither its last sighting nor its identity, so the
/// history the rules see is the same after pruning, except for policies whose windows closed. Only the "first seen"
/// of a kept policy moves up to its oldest kept sighting: no rule reads it, and keeping the first sighting of every
/// current policy would keep years-old rows and snapshots of every unchanged domain.
/// </summary>
public static class ObservationKeepRules
{
    /// <summary>Ids that may be deleted, oldest first.</summary>
    /// <param name="policies">The parsed body of every policy snapshot among <paramref name="observations"/> with a valid policy.</param>
    /// <param name="openEnd">The domain's last check: the end of its open observation.</param>
    public static IReadOnlyList<long> Prunable(IReadOnlyList<ObservationFacts> observations, IReadOnlyDictionary<long, PolicyVersion> policies,
        long? currentObservationId, DateTimeOffset? openEnd, DateTimeOffset now, DateTimeOffset cutoff)
    {
        var kept = Kept(observations, policies, currentObservationId, openEnd, now);
        return observations
            .Where(o => o.LastSeenAt < cutoff && !o.ReferencedByDriftEvent && !kept.Contains(o.Id))
            .Select(o => o.Id)
            .Order()
            .ToList();
    }

    /// <summary>The observations drift detection still reads, whatever their age.</summary>
    public static IReadOnlySet<long> Kept(IReadOnlyList<ObservationFacts> observations, IReadOnlyDictionary<long, PolicyVersion> policies,
        long? currentObservationId, DateTimeOffset? openEnd, DateTimeOffset now)
    {
        var kept = new HashSet<long>();
        if (currentObservationId is { } current)
            kept.Add(current);
        kept.UnionWith(observations.Where(o => o.LastSeenAt is null).Select(o => o.Id));

        // The previous state of the next check (observations are created one at a time: highest id = newest).
        void KeepNewest(Func<ObservationFacts, bool> where)
        {
            if (observations.Where(where).MaxBy(o => o.Id) is { } newest)
                kept.Add(newest.Id);
        }
        KeepNewest(_ => true);
        KeepNewest(o => o.MxKnown);
        KeepNewest(o => o.TxtKnown);
        KeepNewest(o => o.PolicyValid);

        var groups = PolicyGroups(observations, policies, openEnd);
        foreach (var group in groups.Where(g => SenderCacheClock.CachedUntil(g.Observation) > now))
            kept.Add(group.Last.Id);
        if (groups.Where(g => SenderCacheClock.CachedUntil(g.Observation) is not null).MaxBy(g => g.Observation.LastSeen) is { } lastCacheable)
            kept.Add(lastCacheable.Last.Id);
        if (observations.Where(o => o.PolicyValid && o.PolicySnapshotId is not null).MaxBy(o => o.Id) is { } newestValid &&
            policies.TryGetValue(newestValid.PolicySnapshotId!.Value, out var newestBody) &&
            groups.Where(g => g.Observation.TxtId is not null && g.Observation.Policy.SameBody(newestBody)).MaxBy(g => g.Observation.LastSeen) is { } servedUnderId)
            kept.Add(servedUnderId.Last.Id);
        return kept;
    }

    /// <summary>A policy as the history reader sees it, with the observation that saw it last.</summary>
    private sealed record PolicyGroup(PolicyObservation Observation, ObservationFacts Last);

    private static List<PolicyGroup> PolicyGroups(IReadOnlyList<ObservationFacts> observations, IReadOnlyDictionary<long, PolicyVersion> policies,
        DateTimeOffset? openEnd)
    {
        DateTimeOffset LastSeen(ObservationFacts o) => o.LastSeenAt ?? openEnd ?? o.FirstSeenAt;
        return observations
            .Where(o => o.PolicyValid && o.PolicySnapshotId is { } id && policies.ContainsKey(id))
            .GroupBy(o => (SnapshotId: o.PolicySnapshotId!.Value, o.TxtId))
            .Select(g =>
            {
                var last = g.MaxBy(o => (LastSeen(o), o.Id))!;
                return new PolicyGroup(new PolicyObservation(policies[g.Key.SnapshotId], g.Key.TxtId, g.Min(o => o.FirstSeenAt), LastSeen(last)), last);
            })
            .ToList();
    }
}
