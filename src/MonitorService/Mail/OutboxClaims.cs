using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Mail;

/// <summary>
/// The outbox's state changes, each one conditional so that several nodes can deliver at once: a message is claimed
/// by one node at a time (a conditional update with SKIP LOCKED), and only the holder of the claim can renew or settle
/// it. A claim expires after the lease, so a node that dies between claim and send loses nothing: another takes it
/// over. A batch is claimed at once but sent one message after another, so each message's claim is renewed right
/// before its send (<see cref="RenewAsync"/>): a message whose claim ran out meanwhile, and may be another node's
/// now, is not sent.
/// </summary>
public static class OutboxClaims
{
    /// <summary>A claimed message: the token proves the claim when settling it.</summary>
    public sealed record Claim(Guid MessageId, Guid Token);

    /// <param name="includeNotYetDue">Also queued messages waiting out a backoff ("alerts send" delivers what is queued now).</param>
    /// <param name="skip">Messages already handled in this run.</param>
    /// <param name="excludeMail">Only alert channel deliveries: the mail server failed this run, the channels did not.</param>
    public static async Task<IReadOnlyList<Claim>> ClaimAsync(MonitorDbContext db, DateTimeOffset now, TimeSpan lease, int limit,
        bool includeNotYetDue, IReadOnlyCollection<Guid> skip, CancellationToken ct, bool excludeMail = false)
    {
        var token = Guid.NewGuid();
        var until = now + lease;
        var skipIds = skip.ToArray();
        // READ COMMITTED re-checks the WHERE on a row another node claimed meanwhile, so a message is never claimed twice.
        var ids = await db.Database.SqlQuery<Guid>($"""
            UPDATE outbox_messages SET status = {OutboxStatus.Sending}, claim_token = {token}, claimed_until = {until}
            WHERE id IN (
                SELECT id FROM outbox_messages
                WHERE NOT (id = ANY({skipIds}))
                  AND (NOT {excludeMail} OR channel <> {OutboxChannels.Mail})
                  AND ((status = {OutboxStatus.Queued} AND (next_attempt_at <= {now} OR {includeNotYetDue}))
                    OR (status = {OutboxStatus.Sending} AND claimed_until <= {now}))
                ORDER BY next_attempt_at, id
                LIMIT {limit}
                FOR UPDATE SKIP LOCKED)
              AND ((status = {OutboxStatus.Queued} AND (next_attempt_at <= {now} OR {includeNotYetDue}))
                OR (status = {OutboxStatus.Sending} AND claimed_until <= {now}))
            RETURNING id AS "Value"
            """).ToListAsync(ct);
        return ids.Select(id => new Claim(id, token)).ToList();
    }

    /// <summary>
    /// Claims one message by id, on the same terms as <see cref="ClaimAsync"/> (queued, due or not, or its claim expired):
    /// "send a test" delivers the message it just queued within the request. Null when another node has it.
    /// </summary>
    public static async Task<Claim?> ClaimOneAsync(MonitorDbContext db, Guid messageId, DateTimeOffset now, TimeSpan lease, CancellationToken ct)
    {
        var token = Guid.NewGuid();
        var until = now + lease;
        var claimed = await db.Outbox
            .Where(m => m.Id == messageId
                        && (m.Status == OutboxStatus.Queued || (m.Status == OutboxStatus.Sending && m.ClaimedUntil <= now)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, OutboxStatus.Sending)
                .SetProperty(m => m.ClaimToken, token)
                .SetProperty(m => m.ClaimedUntil, until), ct);
        return claimed == 1 ? new Claim(messageId, token) : null;
    }

    /// <summary>
    /// Extends a claim to <paramref name="now"/> + <paramref name="lease"/>, for the send about to start. One conditional
    /// update: it only succeeds while the token is still the message's, and a node claiming the message at the same
    /// moment either waits for it (and then sees a live claim) or wins (and then this update matches no row).
    /// </summary>
    /// <returns>False when the claim was lost (expired and taken over): do not send, the other node does.</returns>
    public static async Task<bool> RenewAsync(MonitorDbContext db, Claim claim, DateTimeOffset now, TimeSpan lease, CancellationToken ct) =>
        await Settle(db, claim).ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimedUntil, now + lease), ct) == 1;

    /// <param name="note">What the operator should know although the mail went out (recipients the server refused).</param>
    /// <returns>False when the claim was lost (expired and taken over): the other node settles the message.</returns>
    public static async Task<bool> MarkSentAsync(MonitorDbContext db, Claim claim, DateTimeOffset now, string? note, CancellationToken ct) =>
        await Settle(db, claim).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, OutboxStatus.Sent)
            .SetProperty(m => m.SentAt, now)
            .SetProperty(m => m.AttemptCount, m => m.AttemptCount + 1)
            .SetProperty(m => m.LastError, note)
            .SetProperty(m => m.ClaimToken, (Guid?)null)
            .SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null), ct) == 1;

    public static async Task<bool> MarkFailedAsync(MonitorDbContext db, Claim claim, string error, CancellationToken ct) =>
        await Settle(db, claim).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, OutboxStatus.Failed)
            .SetProperty(m => m.AttemptCount, m => m.AttemptCount + 1)
            .SetProperty(m => m.LastError, error)
            .SetProperty(m => m.ClaimToken, (Guid?)null)
            .SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null), ct) == 1;

    public static async Task<bool> RetryLaterAsync(MonitorDbContext db, Claim claim, DateTimeOffset at, string error, CancellationToken ct) =>
        await Settle(db, claim).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, OutboxStatus.Queued)
            .SetProperty(m => m.NextAttemptAt, at)
            .SetProperty(m => m.AttemptCount, m => m.AttemptCount + 1)
            .SetProperty(m => m.LastError, error)
            .SetProperty(m => m.ClaimToken, (Guid?)null)
            .SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null), ct) == 1;

    /// <summary>Gives a claimed message back untried (the run stopped before it), due at once.</summary>
    public static async Task ReleaseAsync(MonitorDbContext db, Claim claim, CancellationToken ct) =>
        await Settle(db, claim).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.Status, OutboxStatus.Queued)
            .SetProperty(m => m.ClaimToken, (Guid?)null)
            .SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null), ct);

    /// <summary>
    /// Gives a claimed message back untried, due at once, when it goes where this run stopped trying: by mail after the
    /// mail server failed (<paramref name="mail"/>), or to one of <paramref name="channels"/> after it did not answer.
    /// </summary>
    /// <returns>False when the message goes elsewhere (or the claim was lost): deliver it.</returns>
    public static async Task<bool> ReleaseIfHeldAsync(MonitorDbContext db, Claim claim, bool mail, IReadOnlyCollection<Guid> channels, CancellationToken ct)
    {
        var held = channels.ToList();
        return await Settle(db, claim)
            .Where(m => (mail && m.Channel == OutboxChannels.Mail) || (m.ChannelId != null && held.Contains(m.ChannelId.Value)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, OutboxStatus.Queued)
                .SetProperty(m => m.ClaimToken, (Guid?)null)
                .SetProperty(m => m.ClaimedUntil, (DateTimeOffset?)null), ct) == 1;
    }

    private static IQueryable<OutboxMessage> Settle(MonitorDbContext db, Claim claim) =>
        db.Outbox.Where(m => m.Id == claim.MessageId && m.Status == OutboxStatus.Sending && m.ClaimToken == claim.Token);
}
