using Microsoft.EntityFrameworkCore;
using MonitorService.Monitoring;
using MonitorService.Monitoring.Drift;
using MonitorService.Storage;
using MonitorService.Storage.Snapshots;

namespace MonitorService.Retention;

/// <summary>
/// Deletes observations that ended before the cutoff, domain by domain, keeping what <see cref="ObservationKeepRules"/>
/// says drift detection still reads. Each batch is one transaction under the domain's advisory lock (the recorder's),
/// so a check of that domain waits for at most one batch and the rules see a timeline no check is changing.
/// </summary>
internal static class ObservationPruning
{
    public static async Task<long> PruneAsync(IDbContextFactory<MonitorDbContext> dbFactory, DateTimeOffset now, DateTimeOffset cutoff, int batchSize,
        CancellationToken ct)
    {
        // One pass over the table for the domains that have anything old (a list of ids, 16 bytes per domain), rather
        // than one query per registered domain.
        List<Guid> domains;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            domains = await db.Database.SqlQuery<Guid>($"""
                SELECT DISTINCT domain_id AS "Value" FROM observations WHERE last_seen_at < {cutoff}
                """).ToListAsync(ct);
        long deleted = 0;
        foreach (var domainId in domains)
            deleted += await PruneDomainAsync(dbFactory, domainId, now, cutoff, batchSize, ct);
        return deleted;
    }

    private static async Task<long> PruneDomainAsync(IDbContextFactory<MonitorDbContext> dbFactory, Guid domainId, DateTimeOffset now,
        DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        long deleted = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({CheckRecorder.LockKey(domainId)})", ct);
            var domain = await db.Domains.AsNoTracking().Where(d => d.Id == domainId)
                .Select(d => new { d.CurrentObservationId, d.LastCheckedAt }).FirstOrDefaultAsync(ct);
            if (domain is null)
                return deleted; // removed meanwhile: its observations went with it
            var facts = await FactsAsync(db, domainId, ct);
            var policies = await PoliciesAsync(db, facts, ct);
            var batch = ObservationKeepRules.Prunable(facts, policies, domain.CurrentObservationId, domain.LastCheckedAt, now, cutoff)
                .Take(batchSize).ToArray();
            if (batch.Length == 0)
                return deleted;
            // The conditions again, in the database: a drift event written since the facts were read keeps its observations.
            var count = await db.Database.ExecuteSqlAsync($"""
                DELETE FROM observations o
                WHERE o.id = ANY({batch}) AND o.domain_id = {domainId} AND o.last_seen_at < {cutoff}
                  AND NOT EXISTS (SELECT 1 FROM drift_events e WHERE e.from_observation_id = o.id)
                  AND NOT EXISTS (SELECT 1 FROM drift_events e WHERE e.to_observation_id = o.id)
                """, ct);
            await transaction.CommitAsync(ct);
            deleted += count;
            if (batch.Length < batchSize || count == 0)
                return deleted;
        }
    }

    private static async Task<List<ObservationFacts>> FactsAsync(MonitorDbContext db, Guid domainId, CancellationToken ct) =>
        await db.Observations.AsNoTracking()
            .Where(o => o.DomainId == domainId)
            .Select(o => new ObservationFacts(o.Id, o.FirstSeenAt, o.LastSeenAt, o.MxSnapshotId != null, o.TxtSnapshotId != null, o.PolicyValid,
                o.PolicySnapshotId, o.TxtId, db.DriftEvents.Any(e => e.FromObservationId == o.Id || e.ToObservationId == o.Id)))
            .ToListAsync(ct);

    /// <summary>The parsed bodies of the domain's valid policies, as the history reader parses them.</summary>
    private static async Task<Dictionary<long, PolicyVersion>> PoliciesAsync(MonitorDbContext db, IEnumerable<ObservationFacts> facts, CancellationToken ct)
    {
        var ids = facts.Where(f => f.PolicyValid && f.PolicySnapshotId is not null).Select(f => f.PolicySnapshotId!.Value).Distinct().ToList();
        if (ids.Count == 0)
            return [];
        var contents = await db.Snapshots.AsNoTracking().Where(s => ids.Contains(s.Id)).Select(s => new { s.Id, s.Content }).ToListAsync(ct);
        return contents.ToDictionary(s => s.Id, s => CheckSnapshot.PolicyVersionOf(SnapshotContent.ReadPolicyBody(s.Content)));
    }
}
