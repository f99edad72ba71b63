using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorService.Mail;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Channels.Delivery;

/// <summary>
/// Sends a queued channel delivery: finds its channel, decrypts the URL (and a webhook's secret), signs, POSTs through
/// <see cref="GuardedWebhookClient"/>, and says what the answer means for the outbox — 2xx sent; a redirect or any
/// other 4xx (but 408 and 429) failed for good; 5xx, 408, 429 and no answer retried with backoff (Retry-After
/// honoured up to Alerts:MaxBackoff); a target the address guard refuses failed for good.
/// </summary>
public sealed class ChannelTransport(
    IDbContextFactory<MonitorDbContext> dbFactory,
    ChannelSecrets secrets,
    GuardedWebhookClient client,
    IOptions<AlertChannelOptions> options,
    TimeProvider time) : IChannelTransport
{
    public async Task<ChannelDelivery> SendAsync(OutboxMessage message, CancellationToken cancellationToken)
    {
        AlertChannel? channel;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            channel = message.ChannelId is { } id ? await db.AlertChannels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken) : null;
        if (channel is null)
            return new ChannelDelivery(DeliveryOutcomes.Permanent, "The channel was removed.", message.Channel);
        var destination = $"{channel.Kind} {channel.UrlDisplay}";
        if (!channel.Enabled && message.Kind != OutboxKinds.Test)
            return new ChannelDelivery(DeliveryOutcomes.Permanent, "The channel is turned off.", destination);

        Uri url;
        string? secret;
        try
        {
            url = secrets.UnprotectUrl(channel.ProtectedUrl);
            secret = channel.ProtectedSecret is { } stored ? secrets.UnprotectSecret(stored) : null;
        }
        catch (CryptographicException)
        {
            // Retried: a node missing the key ring's certificate (DataProtection:CertificatePath) may be put right.
            return new ChannelDelivery(DeliveryOutcomes.Transient,
                "The channel's URL cannot be decrypted with this node's data-protection keys (check DataProtection:CertificatePath).", destination);
        }
        // The rules of today, not of the day the channel was made (http:// or a private target may have been allowed then).
        if (ChannelUrl.Problem(url.AbsoluteUri, options.Value, out _) is { } problem)
            return new ChannelDelivery(DeliveryOutcomes.Permanent, problem, destination);

        var body = Encoding.UTF8.GetBytes(message.Payload ?? "{}");
        var exchange = await client.PostAsync(url, body, Headers(message, secret, body), cancellationToken);
        return Judge(exchange, destination);
    }

    private List<KeyValuePair<string, string>> Headers(OutboxMessage message, string? secret, byte[] body)
    {
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var headers = new List<KeyValuePair<string, string>>
        {
            new(WebhookSignature.EventIdHeader, message.MessageId),
            new(WebhookSignature.DeliveryIdHeader, message.Id.ToString()),
            new(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        if (secret is not null)
            headers.Add(new(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, body)));
        return headers;
    }

    public static ChannelDelivery Judge(WebhookExchange exchange, string destination)
    {
        if (exchange.Status is not { } status)
            return exchange.Blocked
                ? new ChannelDelivery(DeliveryOutcomes.Permanent, exchange.Error ?? "refused", destination)
                : new ChannelDelivery(DeliveryOutcomes.Transient, exchange.Error ?? "no answer", destination, Unreachable: true);
        var answer = Answer(exchange);
        return status switch
        {
            >= 200 and < 300 => new ChannelDelivery(DeliveryOutcomes.Sent, answer, destination),
            >= 300 and < 400 => new ChannelDelivery(DeliveryOutcomes.Permanent,
                $"{answer}; redirects are not followed{(exchange.Location is { } to ? $" (it points to {Origin(to)})" : "")}: give the channel the final URL", destination),
            408 or 429 or >= 500 => new ChannelDelivery(DeliveryOutcomes.Transient, answer, destination, exchange.RetryAfter),
            _ => new ChannelDelivery(DeliveryOutcomes.Permanent, answer, destination),
        };
    }

    /// <summary>"404 Not Found: channel_not_found": the status and the start of what the receiver said, on one line.</summary>
    private static string Answer(WebhookExchange exchange)
    {
        var said = MailText.HeaderValue(exchange.Body, 300);
        var status = $"{exchange.Status} {MailText.HeaderValue(exchange.Reason ?? "", 60)}".TrimEnd();
        return said.Length == 0 ? status : $"{status}: {said}";
    }

    /// <summary>A redirect target's scheme, host and port only: its path may carry a credential.</summary>
    private static string Origin(string location) =>
        Uri.TryCreate(location, UriKind.Absolute, out var uri) ? ChannelUrl.Display(uri) : "a relative URL";
}
