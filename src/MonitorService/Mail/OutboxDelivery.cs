using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Mail;

/// <summary>What one delivery run did.</summary>
/// <param name="Unreachable">The run stopped because the mail server could not be reached; the rest stays queued.</param>
/// <param name="LoginRefused">The run stopped because the mail server refused our login (or wants one we do not
/// have): a configuration problem. The rest stays queued.</param>
public sealed record DeliveryRun(int Sent, int Retrying, int Failed, bool Unreachable, string? LastError, bool LoginRefused = false)
{
    public int Attempted => Sent + Retrying + Failed;
}

/// <summary>What the one attempt of <see cref="OutboxDelivery.DeliverNowAsync"/> came to.</summary>
public sealed record DeliveryAttemptResult(string Outcome, string? Detail, string Destination);

/// <summary>
/// Delivers due outbox mail (and alert channel deliveries, through <see cref="IChannelTransport"/>): claims a batch, renews each message's claim right before sending it (skipping one whose
/// claim ran out and went to another node), sends it within half the lease, records every attempt and settles the
/// message — sent; queued again with exponential backoff after a transient failure or a refused login (until
/// Alerts:RetryFor has passed since it was queued); failed after a permanent one. A server that cannot be reached or
/// refuses our login ends the run: the other messages would fail the same way. Recipients the server refuses do not
/// cost the others the mail: each refusal is recorded as an attempt, and those refused for now get the same message
/// in a follow-up delivery (<see cref="OutboxWriter.AddFollowUp"/>). Channel deliveries do not depend on the mail
/// server: when it fails, the run goes on with them; a channel that does not answer holds back only its own.
/// </summary>
public sealed class OutboxDelivery(
    IDbContextFactory<MonitorDbContext> dbFactory,
    IMailTransport transport,
    OutboxWriter writer,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<OutboxDelivery> logger,
    Observability.MonitorMetrics? metrics = null,
    IChannelTransport? channels = null)
{
    private DeliveryOptions Options => options.Value;

    /// <summary>
    /// The longest one send may take: half the lease its claim was just renewed for, so the send ends, and is settled,
    /// while the claim still holds; no other node can take the message over while it is on the wire.
    /// </summary>
    private TimeSpan SendLimit => Options.ClaimLease / 2;

    public async Task<DeliveryRun> DeliverAsync(bool includeNotYetDue, CancellationToken ct)
    {
        int sent = 0, retrying = 0, failed = 0;
        string? lastError = null;
        var handled = new HashSet<Guid>();
        // The mail server failed in a way every other mail would too (unreachable, login refused): no more mail this run.
        DeliveryFailureKind? mailStopped = null;
        // Channels that did not answer: their other deliveries wait for the next run instead of each waiting out a timeout.
        var heldChannels = new HashSet<Guid>();
        while (!ct.IsCancellationRequested)
        {
            IReadOnlyList<OutboxClaims.Claim> claims;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
                claims = await OutboxClaims.ClaimAsync(db, time.GetUtcNow(), Options.ClaimLease, Options.BatchSize, includeNotYetDue, handled, ct,
                    excludeMail: mailStopped is not null);
            if (claims.Count == 0)
                break;
            foreach (var claim in claims)
            {
                handled.Add(claim.MessageId);
                if ((mailStopped is not null || heldChannels.Count > 0) && await ReleaseIfHeldAsync(claim, mailStopped is not null, heldChannels))
                    continue; // given back untouched, due at once for the next run
                var outcome = await DeliverOneAsync(claim, ct);
                if (outcome is null)
                    continue; // its claim ran out before its turn: another node has it
                switch (outcome.Outcome)
                {
                    case DeliveryOutcomes.Sent: sent++; break;
                    case DeliveryOutcomes.Permanent: failed++; lastError = outcome.Detail; break;
                    default: retrying++; lastError = outcome.Detail; break;
                }
                if (outcome.StopsRun)
                    mailStopped ??= outcome.Failure;
                if (outcome.HeldChannel is { } channel)
                    heldChannels.Add(channel);
            }
        }
        return new DeliveryRun(sent, retrying, failed, mailStopped == DeliveryFailureKind.Unreachable, lastError,
            mailStopped == DeliveryFailureKind.LoginRefused);
    }

    /// <summary>
    /// Delivers one queued message now, within the caller's request ("send a test" of an alert channel): claimed,
    /// recorded and settled like any other, so no other node sends it too. Null when another node holds it.
    /// </summary>
    public async Task<DeliveryAttemptResult?> DeliverNowAsync(Guid messageId, CancellationToken ct)
    {
        OutboxClaims.Claim? claim;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            claim = await OutboxClaims.ClaimOneAsync(db, messageId, time.GetUtcNow(), Options.ClaimLease, ct);
        if (claim is null)
            return null;
        var result = await DeliverOneAsync(claim, ct);
        return result is null ? null : new DeliveryAttemptResult(result.Outcome, result.Detail, result.Destination ?? transport.Destination);
    }

    private async Task<bool> ReleaseIfHeldAsync(OutboxClaims.Claim claim, bool mail, IReadOnlyCollection<Guid> channelIds)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        return await OutboxClaims.ReleaseIfHeldAsync(db, claim, mail, channelIds, CancellationToken.None);
    }

    /// <param name="Destination">Where it went; null: the mail transport's.</param>
    /// <param name="RetryAfter">How long a channel's receiver asked us to wait.</param>
    /// <param name="HeldChannel">A channel that did not answer: the run holds back its other deliveries.</param>
    private sealed record Result(string Outcome, string? Detail, DeliveryFailureKind? Failure = null, string? Destination = null,
        TimeSpan? RetryAfter = null, Guid? HeldChannel = null)
    {
        /// <summary>The mail server, not this message, is the problem: every other mail would fail the same way now.</summary>
        public bool StopsRun => Failure is DeliveryFailureKind.Unreachable or DeliveryFailureKind.LoginRefused;
    }

    /// <returns>Null when the message was not sent because its claim had been lost.</returns>
    private async Task<Result?> DeliverOneAsync(OutboxClaims.Claim claim, CancellationToken ct)
    {
        // Started before the clock is read for the renewal: however long the renewal and loading the message take, the
        // send ends within half of the lease the renewal grants.
        using var limit = new CancellationTokenSource(SendLimit, time);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await OutboxClaims.RenewAsync(db, claim, time.GetUtcNow(), Options.ClaimLease, ct))
        {
            logger.ClaimLostBeforeSend(claim.MessageId);
            return null;
        }
        var message = await db.Outbox.AsNoTracking().FirstAsync(m => m.Id == claim.MessageId, ct);
        var (result, refused) = message.Channel == OutboxChannels.Mail
            ? await SendAsync(message, limit, ct)
            : (await SendToChannelAsync(message, limit, ct), []);
        if (message.Channel == OutboxChannels.Mail)
            metrics?.MailAttempted(result.Outcome);

        var now = time.GetUtcNow();
        // The attempt is recorded even when the claim turns out lost: it happened. One row for the message when someone
        // got it (or nothing got through at all), and one per refused recipient, so the alert log names each of them.
        if (result.Outcome == DeliveryOutcomes.Sent || refused.Count == 0)
            db.DeliveryAttempts.Add(Attempt(message, now, result.Outcome, result.Detail, result.Destination));
        foreach (var recipient in refused)
            db.DeliveryAttempts.Add(Attempt(message, now, recipient.IsPermanent ? DeliveryOutcomes.Permanent : DeliveryOutcomes.Transient,
                result.Outcome == DeliveryOutcomes.Sent && !recipient.IsPermanent ? $"{recipient}; it gets this mail in a follow-up delivery" : recipient.ToString()));
        await db.SaveChangesAsync(CancellationToken.None);

        var settled = await SettleAsync(db, claim, message, result, refused, now);
        if (!settled)
            logger.ClaimLostDuringSend(message.MessageId);
        return result;
    }

    private async Task<(Result Result, IReadOnlyList<RefusedRecipient> Refused)> SendAsync(OutboxMessage message, CancellationTokenSource limit, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
        try
        {
            var sent = await transport.SendAsync(MailMessageFactory.FromText(message.Mime), message.Recipients, linked.Token);
            return (new Result(DeliveryOutcomes.Sent, sent.Reply), sent.Refused);
        }
        catch (MailDeliveryException e)
        {
            return (new Result(e.IsPermanent ? DeliveryOutcomes.Permanent : DeliveryOutcomes.Transient, e.Message, e.Kind), e.Refused);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // Treated like an unreachable server: one this slow would hold up the rest of the run the same way.
            return (new Result(DeliveryOutcomes.Transient,
                $"{transport.Destination} took longer than {SendLimit} (half of Alerts:ClaimLease) for one message; stopped before the claim could run out",
                DeliveryFailureKind.Unreachable), []);
        }
    }

    private async Task<Result> SendToChannelAsync(OutboxMessage message, CancellationTokenSource limit, CancellationToken ct)
    {
        if (channels is null)
            return new Result(DeliveryOutcomes.Transient, "This process does not deliver alert channels; another node will.", Destination: message.Channel);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, limit.Token);
        try
        {
            var sent = await channels.SendAsync(message, linked.Token);
            return new Result(sent.Outcome, sent.Detail, Destination: sent.Destination, RetryAfter: sent.RetryAfter,
                HeldChannel: sent.Unreachable ? message.ChannelId : null);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return new Result(DeliveryOutcomes.Transient,
                $"took longer than {SendLimit} (half of Alerts:ClaimLease); stopped before the claim could run out",
                Destination: message.Channel, HeldChannel: message.ChannelId);
        }
    }

    private async Task<bool> SettleAsync(MonitorDbContext db, OutboxClaims.Claim claim, OutboxMessage message, Result result,
        IReadOnlyList<RefusedRecipient> refused, DateTimeOffset now)
    {
        if (result.Outcome == DeliveryOutcomes.Sent)
        {
            var later = refused.Where(r => !r.IsPermanent).Select(r => r.Address).ToList();
            // Settling and queueing the follow-up commit together: only the claim's holder may hand the rest on.
            await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
            var settled = await OutboxClaims.MarkSentAsync(db, claim, now,
                refused.Count == 0 ? null : Truncate($"Sent to the others; refused: {string.Join("; ", refused)}"), CancellationToken.None);
            if (settled && later.Count > 0)
            {
                var followUp = writer.AddFollowUp(db, message, later, now + Backoff(message.AttemptCount + 1));
                await db.SaveChangesAsync(CancellationToken.None);
                logger.FollowUpQueued(message.MessageId, later, followUp.Id, followUp.NextAttemptAt);
            }
            await transaction.CommitAsync(CancellationToken.None);
            logger.Sent(message.Kind, message.MessageId, message.Subject, message.Recipients.Except(refused.Select(r => r.Address)),
                result.Destination ?? transport.Destination);
            if (refused.Any(r => r.IsPermanent))
                logger.RefusedForSome(message.MessageId, message.Subject, refused.Where(r => r.IsPermanent).Select(r => r.ToString()));
            return settled;
        }
        if (result.Outcome == DeliveryOutcomes.Permanent)
        {
            logger.Refused(message.MessageId, message.Subject, result.Detail);
            return await OutboxClaims.MarkFailedAsync(db, claim, Truncate(result.Detail)!, CancellationToken.None);
        }
        if (message.Kind == OutboxKinds.Test)
        {
            // The person who pressed "send a test" sees this answer now; retrying for days would only surprise them.
            logger.Refused(message.MessageId, message.Subject, result.Detail);
            return await OutboxClaims.MarkFailedAsync(db, claim, Truncate($"{result.Detail} (a test is not retried)")!, CancellationToken.None);
        }
        if (now - message.CreatedAt >= Options.RetryFor)
        {
            logger.GaveUp(message.MessageId, message.Subject, message.AttemptCount + 1, message.CreatedAt, result.Detail);
            return await OutboxClaims.MarkFailedAsync(db, claim, Truncate($"Gave up after {message.AttemptCount + 1} attempts: {result.Detail}")!, CancellationToken.None);
        }
        var next = now + RetryDelay(message.AttemptCount + 1, result.RetryAfter);
        logger.Retrying(message.MessageId, message.AttemptCount + 1, next, result.Detail);
        return await OutboxClaims.RetryLaterAsync(db, claim, next, Truncate(result.Detail)!, CancellationToken.None);
    }

    private DeliveryAttempt Attempt(OutboxMessage message, DateTimeOffset at, string outcome, string? detail, string? destination = null) => new()
    {
        OutboxMessageId = message.Id, AttemptedAt = at, Outcome = outcome, Detail = Truncate(detail), Transport = destination ?? transport.Destination,
    };

    /// <summary>
    /// The backoff, or longer when the receiver asked for it (Retry-After), but never past Alerts:MaxBackoff: a receiver
    /// may slow its own deliveries down, not push them out of the retry window.
    /// </summary>
    public TimeSpan RetryDelay(int failedAttempts, TimeSpan? retryAfter)
    {
        var backoff = Backoff(failedAttempts);
        if (retryAfter is not { } asked)
            return backoff;
        var bounded = asked > Options.MaxBackoff ? Options.MaxBackoff : asked;
        return bounded > backoff ? bounded : backoff;
    }

    /// <summary>Initial backoff doubled per failed attempt, capped.</summary>
    public TimeSpan Backoff(int failedAttempts)
    {
        var factor = Math.Pow(2, Math.Clamp(failedAttempts - 1, 0, 30));
        var delay = TimeSpan.FromTicks((long)Math.Min(Options.InitialBackoff.Ticks * factor, Options.MaxBackoff.Ticks));
        return delay;
    }

    private static string? Truncate(string? text) => text is null || text.Length <= 2000 ? text : text[..2000];
}
