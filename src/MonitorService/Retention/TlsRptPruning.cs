using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;

namespace MonitorService.Retention;

/// <summary>
/// Deletes TLS-RPT reports (their policies and failures go with them, by foreign-key cascade) and refused reports
/// received before the cutoff. By the time they came in, not the day they cover: a backfilled import of old reports
/// is kept for Retention:TlsRptDays from the import, and the index on received_at serves the batches.
/// </summary>
internal static class TlsRptPruning
{
    public static async Task<(long Reports, long Rejected)> PruneAsync(IDbContextFactory<MonitorDbContext> dbFactory, DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        long reports = 0, rejected = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var deleted = await db.Database.ExecuteSqlAsync(
                $"DELETE FROM tlsrpt_reports WHERE id IN (SELECT id FROM tlsrpt_reports WHERE received_at < {cutoff} LIMIT {batchSize})", ct);
            reports += deleted;
            if (deleted < batchSize)
                break;
        }
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var deleted = await db.Database.ExecuteSqlAsync(
                $"DELETE FROM tlsrpt_rejected WHERE id IN (SELECT id FROM tlsrpt_rejected WHERE received_at < {cutoff} LIMIT {batchSize})", ct);
            rejected += deleted;
            if (deleted < batchSize)
                return (reports, rejected);
        }
    }
}
