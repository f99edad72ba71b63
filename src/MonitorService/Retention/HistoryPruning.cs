using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;

namespace MonitorService.Retention;

/// <summary>Deletes drift events and closed incidents older than the cutoff, in id order, a batch per statement.</summary>
internal static class HistoryPruning
{
    /// <summary>
    /// Drift events detected before the cutoff, except those whose risk is still running (until in the future): the
    /// dashboard keeps showing them. Runs before <see cref="ObservationPruning"/>, which keeps observations that a
    /// remaining event refers to.
    /// </summary>
    public static Task<long> PruneDriftEventsAsync(IDbContextFactory<MonitorDbContext> dbFactory, DateTimeOffset now, DateTimeOffset cutoff, int batchSize,
        CancellationToken ct) =>
        InBatchesAsync(dbFactory, batchSize, (db, after) => db.Database.SqlQuery<long>($"""
            WITH doomed AS (
                SELECT id FROM drift_events
                WHERE detected_at < {cutoff} AND (until IS NULL OR until <= {now}) AND id > {after}
                ORDER BY id LIMIT {batchSize})
            DELETE FROM drift_events e USING doomed WHERE e.id = doomed.id
            RETURNING e.id AS "Value"
            """), ct);

    /// <summary>Incidents closed before the cutoff. Open and pending ones (not closed) are the domain's state.</summary>
    public static Task<long> PruneIncidentsAsync(IDbContextFactory<MonitorDbContext> dbFactory, DateTimeOffset cutoff, int batchSize, CancellationToken ct) =>
        InBatchesAsync(dbFactory, batchSize, (db, after) => db.Database.SqlQuery<long>($"""
            WITH doomed AS (
                SELECT id FROM incidents
                WHERE closed_at < {cutoff} AND id > {after}
                ORDER BY id LIMIT {batchSize})
            DELETE FROM incidents i USING doomed WHERE i.id = doomed.id
            RETURNING i.id AS "Value"
            """), ct);

    /// <summary>Runs a deleting statement (which returns the deleted ids, at most one batch) until a batch comes back short.</summary>
    private static async Task<long> InBatchesAsync(IDbContextFactory<MonitorDbContext> dbFactory, int batchSize,
        Func<MonitorDbContext, long, IQueryable<long>> deleteAfter, CancellationToken ct)
    {
        long deleted = 0, after = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var ids = await deleteAfter(db, after).ToListAsync(ct);
            deleted += ids.Count;
            if (ids.Count < batchSize)
                return deleted;
            after = ids.Max();
        }
    }
}
