using Microsoft.Extensions.Options;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Mail;

/// <summary>A mail to queue: who, what, and (for mail that must exist once) its dedup key.</summary>
public sealed record OutgoingMail(string Kind, Guid? TeamId, Guid? DomainId, IReadOnlyList<string> Recipients, string Subject, string Text, string Html, string? DedupKey = null);

/// <summary>
/// One delivery of an event to one alert channel: its request body rendered once, sent as it is on every attempt, with
/// the event id as the receiver's idempotency key (the same for every channel of the event).
/// </summary>
public sealed record OutgoingChannelMessage(string Kind, Guid TeamId, Guid? DomainId, Guid ChannelId, string Channel, Guid EventId, string Subject, string Payload);

/// <summary>
/// Adds rendered mail (and alert channel deliveries) to the outbox through the caller's context, so it commits (or not) with the caller's transaction.
/// </summary>
public sealed class OutboxWriter(IOptions<SmtpOptions> smtp, TimeProvider time)
{
    public OutboxMessage Add(MonitorDbContext db, OutgoingMail mail)
    {
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var message = MailMessageFactory.Create(id, smtp.Value.From, mail.Recipients, mail.Subject, mail.Text, mail.Html, now);
        var entry = new OutboxMessage
        {
            Id = id,
            Kind = mail.Kind,
            TeamId = mail.TeamId,
            DomainId = mail.DomainId,
            DedupKey = mail.DedupKey,
            MessageId = MailMessageFactory.MessageIdFor(id),
            Subject = message.Subject ?? "",
            Recipients = [.. mail.Recipients],
            Mime = MailMessageFactory.ToText(message),
            CreatedAt = now,
            NextAttemptAt = now,
        };
        db.Outbox.Add(entry);
        return entry;
    }

    /// <summary>
    /// Queues one delivery of an event to one alert channel. Its dedup key makes "one delivery per channel per event" a
    /// rule of the database, not only of the caller.
    /// </summary>
    public OutboxMessage AddChannelDelivery(MonitorDbContext db, OutgoingChannelMessage delivery)
    {
        var now = time.GetUtcNow();
        var entry = new OutboxMessage
        {
            Id = Guid.CreateVersion7(now),
            Kind = delivery.Kind,
            TeamId = delivery.TeamId,
            DomainId = delivery.DomainId,
            DedupKey = ChannelDedupKey(delivery.EventId, delivery.ChannelId),
            MessageId = delivery.EventId.ToString(),
            Subject = MailText.HeaderValue(delivery.Subject),
            Recipients = [],
            Mime = "",
            Channel = delivery.Channel,
            ChannelId = delivery.ChannelId,
            Payload = delivery.Payload,
            CreatedAt = now,
            NextAttemptAt = now,
        };
        db.Outbox.Add(entry);
        return entry;
    }

    public static string ChannelDedupKey(Guid eventId, Guid channelId) => $"event:{eventId:N}:channel:{channelId:N}";

    /// <summary>
    /// The same message again (same bytes, same Message-Id) for the <paramref name="recipients"/> the server refused for
    /// now while taking it for the others: a delivery of its own, due at <paramref name="due"/>, retried and given up
    /// on like any other. It counts from when the original was queued (Alerts:RetryFor) and continues its backoff.
    /// </summary>
    public OutboxMessage AddFollowUp(MonitorDbContext db, OutboxMessage original, IReadOnlyList<string> recipients, DateTimeOffset due)
    {
        var entry = new OutboxMessage
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            Kind = original.Kind,
            TeamId = original.TeamId,
            DomainId = original.DomainId,
            DedupKey = null, // the original holds the key; this is a part of its delivery, not another mail
            MessageId = original.MessageId,
            Subject = original.Subject,
            Recipients = [.. recipients],
            Mime = original.Mime,
            CreatedAt = original.CreatedAt,
            NextAttemptAt = due,
            AttemptCount = original.AttemptCount + 1,
        };
        db.Outbox.Add(entry);
        return entry;
    }
}
