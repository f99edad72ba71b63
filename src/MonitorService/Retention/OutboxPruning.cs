using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Retention;

/// <summary>
/// Deletes mail that is done with — sent, or failed for good — and whose last activity (sending, else the last
/// attempt) is older than the cutoff, with its delivery attempts. Queued mail and mail being sent are never touched,
/// whatever their age: they are claimed rows of the delivery job (locked rows are skipped, the status is re-checked).
/// </summary>
internal static class OutboxPruning
{
    public static async Task<(long Messages, long Attempts)> PruneAsync(IDbContextFactory<MonitorDbContext> dbFactory, DateTimeOffset cutoff, int batchSize,
        CancellationToken ct)
    {
        long messages = 0, attempts = 0;
        while (true)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // created_at first: a message's last activity is never before it was queued, so newer mail is ruled out cheaply.
            var ids = (await db.Database.SqlQuery<Guid>($"""
                SELECT m.id AS "Value" FROM outbox_messages m
                WHERE m.status IN ({OutboxStatus.Sent}, {OutboxStatus.Failed}) AND m.created_at < {cutoff}
                  AND COALESCE(m.sent_at, (SELECT max(a.attempted_at) FROM delivery_attempts a WHERE a.outbox_message_id = m.id), m.created_at) < {cutoff}
                LIMIT {batchSize}
                FOR UPDATE OF m SKIP LOCKED
                """).ToListAsync(ct)).ToArray();
            if (ids.Length == 0)
                return (messages, attempts);
            attempts += await db.Database.ExecuteSqlAsync($"DELETE FROM delivery_attempts WHERE outbox_message_id = ANY({ids})", ct);
            var deleted = await db.Database.ExecuteSqlAsync(
                $"DELETE FROM outbox_messages WHERE id = ANY({ids}) AND status IN ({OutboxStatus.Sent}, {OutboxStatus.Failed})", ct);
            await transaction.CommitAsync(ct);
            messages += deleted;
            // A batch that deleted nothing would be selected again: stop (the next run looks again).
            if (ids.Length < batchSize || deleted == 0)
                return (messages, attempts);
        }
    }
}
