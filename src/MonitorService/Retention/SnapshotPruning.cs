using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;

namespace MonitorService.Retention;

/// <summary>
/// Deletes snapshots no observation refers to any more (after <see cref="ObservationPruning"/>, or left by a removed
/// domain). Snapshots are content-addressed and shared across domains, so age says nothing: only references count,
/// and observations are the only rows that refer to snapshots (six foreign keys, ON DELETE RESTRICT).
/// <para>
/// A check may be about to reuse an unreferenced snapshot (a domain back to an earlier state). The recorder locks the
/// snapshots it found (<see cref="SnapshotStore"/>, FOR KEY SHARE) until its observation is committed; this sweep locks
/// its candidates FOR UPDATE SKIP LOCKED and checks the references again in the deleting statement. So a snapshot in
/// use is either skipped here, or gone before the recorder looks and stored again by it: never deleted under a check.
/// </para>
/// </summary>
internal static class SnapshotPruning
{
    private const string Unreferenced = """
        NOT EXISTS (SELECT 1 FROM observations o WHERE o.mx_snapshot_id = s.id)
        AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.txt_snapshot_id = s.id)
        AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.policy_snapshot_id = s.id)
        AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.tls_rpt_snapshot_id = s.id)
        AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.certificates_snapshot_id = s.id)
        AND NOT EXISTS (SELECT 1 FROM observations o WHERE o.report_snapshot_id = s.id)
        """;

    public static async Task<long> PruneAsync(IDbContextFactory<MonitorDbContext> dbFactory, int batchSize, CancellationToken ct)
    {
        long deleted = 0;
        long after = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var candidates = await db.Database.SqlQueryRaw<long>($$"""
                SELECT s.id AS "Value" FROM snapshots s
                WHERE s.id > {0} AND {{Unreferenced}}
                ORDER BY s.id LIMIT {1}
                FOR UPDATE OF s SKIP LOCKED
                """, after, batchSize).ToListAsync(ct);
            if (candidates.Count == 0)
                return deleted;
            // A new statement, a new view: an observation committed since the query above keeps its snapshot.
            deleted += await db.Database.ExecuteSqlRawAsync($$"""
                DELETE FROM snapshots s WHERE s.id = ANY({0}) AND {{Unreferenced}}
                """, [candidates.ToArray()], ct);
            await transaction.CommitAsync(ct);
            if (candidates.Count < batchSize)
                return deleted;
            after = candidates[^1];
        }
    }
}
