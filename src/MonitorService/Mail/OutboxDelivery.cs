using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorService.Alerts;
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

/// <summary>
/// Delivers due outbox mail: claims a batch, sends each message, records every attempt and settles the message —
/// sent; queued again with exponential backoff after a transient failure or a refused login (until Alerts:RetryFor
/// has passed since it was queued); failed after a permanent one. A server that cannot be reached or refuses our
/// login ends the run: the other messages would fail the same way.
/// </summary>
public sealed class OutboxDelivery(
    IDbContextFactory<MonitorDbContext> dbFactory,
    IMailTransport transport,
    IOptions<AlertOptions> options,
    TimeProvider time,
    ILogger<OutboxDelivery> logger,
    Observability.MonitorMetrics? metrics = null)
{
    private AlertOptions Options => options.Value;

    public async Task<DeliveryRun> DeliverAsync(bool includeNotYetDue, CancellationToken ct)
    {
        int sent = 0, retrying = 0, failed = 0;
        string? lastError = null;
        var handled = new HashSet<Guid>();
        while (!ct.IsCancellationRequested)
        {
            IReadOnlyList<OutboxClaims.Claim> claims;
            await using (var db = await dbFactory.CreateDbContextAsync(ct))
                claims = await OutboxClaims.ClaimAsync(db, time.GetUtcNow(), Options.ClaimLease, Options.BatchSize, includeNotYetDue, handled, ct);
            if (claims.Count == 0)
                break;
            for (var i = 0; i < claims.Count; i++)
            {
                handled.Add(claims[i].MessageId);
                var outcome = await DeliverOneAsync(claims[i], ct);
                metrics?.MailAttempted(outcome.Outcome);
                switch (outcome.Outcome)
                {
                    case DeliveryOutcomes.Sent: sent++; break;
                    case DeliveryOutcomes.Permanent: failed++; lastError = outcome.Detail; break;
                    default: retrying++; lastError = outcome.Detail; break;
                }
                if (outcome.StopsRun)
                {
                    // No point trying the rest now: give them back untouched, due at once for the next run.
                    await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                    foreach (var rest in claims.Skip(i + 1))
                        await OutboxClaims.ReleaseAsync(db, rest, CancellationToken.None);
                    return new DeliveryRun(sent, retrying, failed, outcome.Failure == DeliveryFailureKind.Unreachable, lastError,
                        outcome.Failure == DeliveryFailureKind.LoginRefused);
                }
            }
        }
        return new DeliveryRun(sent, retrying, failed, false, lastError);
    }

    private sealed record Result(string Outcome, string? Detail, DeliveryFailureKind? Failure = null)
    {
        /// <summary>The server, not this message, is the problem: every other message would fail the same way now.</summary>
        public bool StopsRun => Failure is DeliveryFailureKind.Unreachable or DeliveryFailureKind.LoginRefused;
    }

    private async Task<Result> DeliverOneAsync(OutboxClaims.Claim claim, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var message = await db.Outbox.AsNoTracking().FirstAsync(m => m.Id == claim.MessageId, ct);
        Result result;
        try
        {
            var reply = await transport.SendAsync(MailMessageFactory.FromText(message.Mime), ct);
            result = new Result(DeliveryOutcomes.Sent, reply);
        }
        catch (MailDeliveryException e)
        {
            result = new Result(e.IsPermanent ? DeliveryOutcomes.Permanent : DeliveryOutcomes.Transient, e.Message, e.Kind);
        }

        var now = time.GetUtcNow();
        // The attempt is recorded even when the claim turns out lost: it happened.
        db.DeliveryAttempts.Add(new DeliveryAttempt
        {
            OutboxMessageId = message.Id, AttemptedAt = now, Outcome = result.Outcome, Detail = Truncate(result.Detail), Transport = transport.Destination,
        });
        await db.SaveChangesAsync(CancellationToken.None);

        bool settled;
        if (result.Outcome == DeliveryOutcomes.Sent)
        {
            settled = await OutboxClaims.MarkSentAsync(db, claim, now, CancellationToken.None);
            logger.LogInformation("Sent {Kind} mail {MessageId} ({Subject}) to {Recipients} via {Destination}",
                message.Kind, message.MessageId, message.Subject, message.Recipients, transport.Destination);
        }
        else if (result.Outcome == DeliveryOutcomes.Permanent)
        {
            settled = await OutboxClaims.MarkFailedAsync(db, claim, Truncate(result.Detail)!, CancellationToken.None);
            logger.LogError("Mail {MessageId} ({Subject}) was refused and will not be retried: {Error}", message.MessageId, message.Subject, result.Detail);
        }
        else if (now - message.CreatedAt >= Options.RetryFor)
        {
            settled = await OutboxClaims.MarkFailedAsync(db, claim, $"Gave up after {message.AttemptCount + 1} attempts: {result.Detail}", CancellationToken.None);
            logger.LogError("Gave up on mail {MessageId} ({Subject}) after {Attempts} attempts since {QueuedAt:o}: {Error}",
                message.MessageId, message.Subject, message.AttemptCount + 1, message.CreatedAt, result.Detail);
        }
        else
        {
            var next = now + Backoff(message.AttemptCount + 1);
            settled = await OutboxClaims.RetryLaterAsync(db, claim, next, Truncate(result.Detail)!, CancellationToken.None);
            logger.LogWarning("Mail {MessageId} not delivered (attempt {Attempt}), retrying at {NextAttempt:o}: {Error}",
                message.MessageId, message.AttemptCount + 1, next, result.Detail);
        }
        if (!settled)
            logger.LogWarning("The claim on mail {MessageId} expired during delivery; another node has taken it over", message.MessageId);
        return result;
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
