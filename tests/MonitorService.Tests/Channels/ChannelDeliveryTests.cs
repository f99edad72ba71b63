using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MonitorService.Channels;
using MonitorService.Mail;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;
using MonitorService.Web.Queries;

namespace MonitorService.Tests.Channels;

/// <summary>
/// Alerts of real checks delivered to webhook, Slack and Teams channels through the outbox, to a real HTTPS receiver on
/// loopback, on a real PostgreSQL: content, signature, one delivery per channel per event, retries and their log.
/// </summary>
[Collection(PostgresCollection.Name)]
public class ChannelDeliveryTests(PostgresFixture postgres)
{
    private static string Hmac(string secret, string timestamp, byte[] body) =>
        "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(timestamp + ".").Concat(body).ToArray())).ToLowerInvariant();

    [Fact]
    public async Task A_drift_alert_reaches_each_channel_once_under_one_event_id_and_the_webhook_is_signed()
    {
        await using var kit = await ChannelTestKit.StartAsync(postgres, "channels_once");
        var team = await kit.TeamAsync();
        var (_, secret) = await kit.AddChannelAsync(team, AlertChannelKinds.Webhook, "/webhook");
        await kit.AddChannelAsync(team, AlertChannelKinds.Slack, "/slack");
        await kit.AddChannelAsync(team, AlertChannelKinds.Teams, "/teams");
        Assert.NotNull(secret);

        var domainId = await kit.DriftAsync();
        var run = await kit.Delivery.DeliverAsync(false, CancellationToken.None);

        Assert.Equal(4, run.Sent); // the mail and three channels
        Assert.Single(kit.Mail.Mail.Messages);
        var webhook = Assert.Single(kit.RequestsTo("/webhook"));
        var slack = Assert.Single(kit.RequestsTo("/slack"));
        var teams = Assert.Single(kit.RequestsTo("/teams"));

        // One event, one id on every channel; each channel has a delivery of its own.
        var eventId = webhook.Header("X-MonitorService-Event-Id");
        Assert.True(Guid.TryParse(eventId, out _));
        Assert.Equal(eventId, slack.Header("X-MonitorService-Event-Id"));
        Assert.Equal(eventId, teams.Header("X-MonitorService-Event-Id"));
        Assert.Equal(3, kit.Receiver.Requests.Select(r => r.Header("X-MonitorService-Delivery-Id")).Distinct().Count());

        // The signature: HMAC-SHA256 over timestamp "." body with the channel's secret, and with no other.
        var timestamp = webhook.Header("X-MonitorService-Timestamp")!;
        Assert.Equal(kit.Harness.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), timestamp);
        Assert.Equal(Hmac(secret, timestamp, webhook.Body), webhook.Header("X-MonitorService-Signature"));
        Assert.NotEqual(Hmac(ChannelSecrets.NewSecret(), timestamp, webhook.Body), webhook.Header("X-MonitorService-Signature"));
        Assert.NotEqual(Hmac(secret, (long.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), webhook.Body),
            webhook.Header("X-MonitorService-Signature"));
        Assert.Null(slack.Header("X-MonitorService-Signature")); // Slack and Teams have no secret to sign with
        Assert.StartsWith("application/json", webhook.Header("Content-Type"), StringComparison.Ordinal);

        // The webhook body carries what the mail says: the domain, what changed, why, the fix, the link.
        var body = ChannelTestKit.Json(webhook);
        Assert.Equal(("alert", eventId, "example.test"), (body.GetProperty("type").GetString(), body.GetProperty("eventId").GetString(), body.GetProperty("domain").GetString()));
        var item = body.GetProperty("new").EnumerateArray().Single(i => i.GetProperty("code").GetString() == "DRIFT_MX_NOT_COVERED");
        Assert.Equal(("error", ChannelTestKit.Mx3), (item.GetProperty("severity").GetString(), item.GetProperty("subject").GetString()));
        Assert.Contains($"mx: {ChannelTestKit.Mx3}", item.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.Contains(body.GetProperty("alsoChanged").EnumerateArray(), i => i.GetProperty("code").GetString() == "DRIFT_MX_CHANGED");
        Assert.Equal($"https://monitor.example.test/domains/{domainId}", body.GetProperty("links").GetProperty("dashboard").GetString());
        Assert.Contains("DRIFT_MX_NOT_COVERED", body.GetProperty("text").GetString(), StringComparison.Ordinal);

        // Slack: a notification line and blocks, the fix in a code block, a dashboard button, no link previews.
        var slackBody = ChannelTestKit.Json(slack);
        Assert.Contains("example.test", slackBody.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.False(slackBody.GetProperty("unfurl_links").GetBoolean());
        var blocks = slackBody.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.Contains(blocks, b => b.GetProperty("type").GetString() == "section"
            && b.GetProperty("text").GetProperty("text").GetString()!.Contains($"```1. Add to", StringComparison.Ordinal));
        Assert.Contains(blocks, b => b.GetProperty("type").GetString() == "actions");

        // Teams: an Adaptive Card in the attachments envelope.
        var attachment = ChannelTestKit.Json(teams).GetProperty("attachments")[0];
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        Assert.Equal("AdaptiveCard", attachment.GetProperty("content").GetProperty("type").GetString());
        Assert.Contains($"mx: {ChannelTestKit.Mx3}", teams.BodyText, StringComparison.Ordinal);

        // Nothing twice: another run sends nothing, and the outbox holds one delivery per channel, keyed by event and channel.
        Assert.Equal(0, (await kit.Delivery.DeliverAsync(true, CancellationToken.None)).Attempted);
        Assert.Equal(3, kit.Receiver.Requests.Count);
        var deliveries = await kit.ChannelDeliveriesAsync();
        Assert.Equal(3, deliveries.Select(d => d.ChannelId).Distinct().Count());
        Assert.All(deliveries, d => Assert.Equal((OutboxStatus.Sent, eventId), (d.Status, d.MessageId)));
    }

    [Fact]
    public async Task The_database_refuses_a_second_delivery_of_an_event_to_a_channel()
    {
        await using var kit = await ChannelTestKit.StartAsync(postgres, "channels_dedup");
        var team = await kit.TeamAsync();
        var (channel, _) = await kit.AddChannelAsync(team, AlertChannelKinds.Slack, "/slack");
        var writer = kit.Harness.Services.GetRequiredService<OutboxWriter>();
        var eventId = Guid.NewGuid();
        var delivery = new OutgoingChannelMessage(OutboxKinds.Alert, team, null, channel.Id, channel.Kind, eventId, "s", "{}");
        await using (var db = kit.Harness.Db())
        {
            writer.AddChannelDelivery(db, delivery);
            await db.SaveChangesAsync();
        }

        await using var again = kit.Harness.Db();
        writer.AddChannelDelivery(again, delivery);
        await Assert.ThrowsAsync<DbUpdateException>(() => again.SaveChangesAsync());
    }

    [Fact]
    public async Task A_5xx_is_retried_with_the_same_event_and_body_and_every_attempt_is_in_the_alert_log()
    {
        await using var kit = await ChannelTestKit.StartAsync(postgres, "channels_retry");
        var team = await kit.TeamAsync();
        var (_, secret) = await kit.AddChannelAsync(team, AlertChannelKinds.Webhook, "/webhook");
        kit.Receiver.Enqueue(WebhookAnswer.Error(500, "database down"));
        await kit.DriftAsync();
        var clock = kit.Harness.Clock;

        var first = await kit.Delivery.DeliverAsync(false, CancellationToken.None);
        Assert.Equal((1, 1, false), (first.Sent, first.Retrying, first.Unreachable)); // the mail went, the webhook waits
        var queued = Assert.Single(await kit.ChannelDeliveriesAsync());
        Assert.Equal((OutboxStatus.Queued, 1, clock.GetUtcNow() + TimeSpan.FromMinutes(1)), (queued.Status, queued.AttemptCount, queued.NextAttemptAt));
        Assert.Equal(0, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Attempted); // not due yet

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Sent);

        var requests = kit.RequestsTo("/webhook");
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].Header("X-MonitorService-Event-Id"), requests[1].Header("X-MonitorService-Event-Id"));
        Assert.Equal(requests[0].Header("X-MonitorService-Delivery-Id"), requests[1].Header("X-MonitorService-Delivery-Id"));
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.NotEqual(requests[0].Header("X-MonitorService-Timestamp"), requests[1].Header("X-MonitorService-Timestamp"));
        Assert.All(requests, r => Assert.Equal(Hmac(secret!, r.Header("X-MonitorService-Timestamp")!, r.Body), r.Header("X-MonitorService-Signature")));

        // The team's alert log shows the delivery, its channel and both attempts with the receiver's answers.
        var log = await new AlertLogQuery(kit.Harness.Services.GetRequiredService<IDbContextFactory<MonitorService.Storage.MonitorDbContext>>()).PageAsync(team, 1, CancellationToken.None);
        var entry = Assert.Single(log, e => e.Message.Channel == AlertChannelKinds.Webhook);
        Assert.Equal("webhook /webhook", entry.ChannelName);
        Assert.Equal([DeliveryOutcomes.Transient, DeliveryOutcomes.Sent], entry.Attempts.Select(a => a.Outcome));
        Assert.StartsWith("500 Internal Server Error: database down", entry.Attempts[0].Detail, StringComparison.Ordinal);
        Assert.StartsWith("200 OK", entry.Attempts[1].Detail, StringComparison.Ordinal);
        Assert.All(entry.Attempts, a => Assert.Equal($"webhook https://{ChannelTestKit.ReceiverHost}:{kit.Receiver.Port}", a.Transport));
        Assert.Contains(log, e => e.Message.Channel == OutboxChannels.Mail);
    }

    [Fact]
    public async Task Retry_After_is_honoured_up_to_the_longest_backoff()
    {
        await using var kit = await ChannelTestKit.StartAsync(postgres, "channels_retry_after");
        var team = await kit.TeamAsync();
        await kit.AddChannelAsync(team, AlertChannelKinds.Slack, "/slack");
        kit.Receiver.Enqueue(WebhookAnswer.Error(429, "rate_limited", retryAfter: "600"), WebhookAnswer.Error(503, "busy", retryAfter: "999999"),
            WebhookAnswer.Error(408, "slow"));
        await kit.DriftAsync();
        var clock = kit.Harness.Clock;

        await kit.Delivery.DeliverAsync(false, CancellationToken.None);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(10), Assert.Single(await kit.ChannelDeliveriesAsync()).NextAttemptAt); // asked for 10 min, backoff 1 min
        clock.Advance(TimeSpan.FromMinutes(10));
        await kit.Delivery.DeliverAsync(false, CancellationToken.None);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromHours(1), Assert.Single(await kit.ChannelDeliveriesAsync()).NextAttemptAt); // bounded by Alerts:MaxBackoff
        clock.Advance(TimeSpan.FromHours(1));
        await kit.Delivery.DeliverAsync(false, CancellationToken.None);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(4), Assert.Single(await kit.ChannelDeliveriesAsync()).NextAttemptAt); // 408: the backoff (3rd failure)
        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(1, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Sent);
        Assert.Equal(4, kit.RequestsTo("/slack").Count);
    }

    [Fact]
    public async Task A_4xx_fails_for_good_and_a_redirect_is_not_followed()
    {
        await using var kit = await ChannelTestKit.StartAsync(postgres, "channels_4xx");
        var team = await kit.TeamAsync();
        await kit.AddChannelAsync(team, AlertChannelKinds.Slack, "/gone");
        await kit.AddChannelAsync(team, AlertChannelKinds.Webhook, "/moved");
        kit.Receiver.Route("/gone", WebhookAnswer.Error(404, "channel_not_found"));
        kit.Receiver.Route("/moved", WebhookAnswer.Redirect(kit.Receiver.Url(ChannelTestKit.ReceiverHost, "/new-home?token=abc").AbsoluteUri));
        await kit.DriftAsync();

        var run = await kit.Delivery.DeliverAsync(false, CancellationToken.None);
        Assert.Equal((1, 2), (run.Sent, run.Failed)); // the mail went; both channels failed for good
        kit.Harness.Clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(0, (await kit.Delivery.DeliverAsync(true, CancellationToken.None)).Attempted);

        Assert.Empty(kit.RequestsTo("/new-home")); // the redirect was not followed
        Assert.Equal(2, kit.Receiver.Requests.Count);
        var deliveries = await kit.ChannelDeliveriesAsync();
        Assert.All(deliveries, d => Assert.Equal((OutboxStatus.Failed, 1), (d.Status, d.AttemptCount)));
        Assert.Contains(deliveries, d => d.LastError!.StartsWith("404 Not Found: channel_not_found", StringComparison.Ordinal));
        var redirect = deliveries.Single(d => d.Channel == AlertChannelKinds.Webhook).LastError!;
        Assert.Contains("redirects are not followed", redirect, StringComparison.Ordinal);
        Assert.DoesNotContain("token=abc", redirect, StringComparison.Ordinal); // a redirect target's path may carry a credential
    }

    [Fact]
    public async Task A_flooding_receiver_is_read_only_up_to_the_limit()
    {
        await using var kit = await ChannelTestKit.StartAsync(postgres, "channels_flood");
        var team = await kit.TeamAsync();
        await kit.AddChannelAsync(team, AlertChannelKinds.Teams, "/teams");
        kit.Receiver.Default = WebhookAnswer.Flood();
        await kit.DriftAsync();

        var run = await kit.Delivery.DeliverAsync(false, CancellationToken.None);

        // Read fully, the never-ending body would have run into the 10-second limit (Alerts:Webhooks:Timeout) (a transient failure): the status
        // came first, 64 KiB of body were read, the connection was closed.
        var delivery = Assert.Single(await kit.ChannelDeliveriesAsync());
        Assert.True(delivery.Status == OutboxStatus.Sent, $"{delivery.Status}: {delivery.LastError}");
        Assert.Equal((2, 0), (run.Sent, run.Retrying));
        Assert.True(kit.Receiver.FloodBytesWritten < 16 * 1024 * 1024, $"{kit.Receiver.FloodBytesWritten} bytes written before the client hung up");
    }

    [Fact]
    public async Task A_mail_server_that_cannot_be_reached_does_not_hold_back_the_channels()
    {
        await using var kit = await ChannelTestKit.StartAsync(postgres, "channels_smtp_down");
        var team = await kit.TeamAsync();
        await kit.AddChannelAsync(team, AlertChannelKinds.Slack, "/slack");
        kit.Mail.Mail.DefaultBehavior = SmtpBehavior.CloseImmediately;
        await kit.DriftAsync();

        var run = await kit.Delivery.DeliverAsync(false, CancellationToken.None);

        Assert.True(run.Unreachable);
        Assert.Equal((1, 1), (run.Sent, run.Retrying));
        Assert.Single(kit.RequestsTo("/slack"));
        await using var db = kit.Harness.Db();
        Assert.Equal(OutboxStatus.Queued, (await db.Outbox.SingleAsync(m => m.Channel == OutboxChannels.Mail)).Status);
    }

    [Fact]
    public async Task A_channel_that_does_not_answer_holds_back_only_its_own_deliveries()
    {
        await using var kit = await ChannelTestKit.StartAsync(postgres, "channels_dead");
        var team = await kit.TeamAsync();
        // Nothing listens there: connections are refused.
        var (dead, _) = await kit.Channels.CreateAsync(team, new ChannelInput("dead", AlertChannelKinds.Webhook,
            $"https://{CheckEnvironment.DeadIp}:{kit.Receiver.Port}/hook", null, null, null), "test", CancellationToken.None);
        await kit.AddChannelAsync(team, AlertChannelKinds.Slack, "/slack");
        var domain = await kit.DriftAsync();
        // A second event: the MX host leaves again.
        kit.Harness.Clock.Advance(TimeSpan.FromHours(1));
        kit.Harness.Env.Zone.Remove(CheckEnvironment.Domain, "MX");
        kit.Harness.Env.Zone.AddMx(CheckEnvironment.Domain, 10, CheckEnvironment.Mx1).AddMx(CheckEnvironment.Domain, 20, CheckEnvironment.Mx2);
        await kit.Harness.CheckAsync(domain);

        await kit.Delivery.DeliverAsync(false, CancellationToken.None);

        var deliveries = await kit.ChannelDeliveriesAsync();
        var toDead = deliveries.Where(d => d.ChannelId == dead.Id).ToList();
        Assert.Equal(2, toDead.Count);
        Assert.Equal([0, 1], toDead.Select(d => d.AttemptCount).Order()); // one tried (refused), the other given back untried
        Assert.All(toDead, d => Assert.Equal(OutboxStatus.Queued, d.Status));
        Assert.Equal(2, kit.RequestsTo("/slack").Count); // the live channel got both events
        Assert.All(deliveries.Where(d => d.ChannelId != dead.Id), d => Assert.Equal(OutboxStatus.Sent, d.Status));
    }
}
