using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MonitorService.Channels;
using MonitorService.Mail;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Channels;
using MonitorService.Tests.Infrastructure;
using MonitorService.TlsRpt.Alerts;
using static MonitorService.Tests.TlsRpt.TlsRptSeed;

namespace MonitorService.Tests.TlsRpt;

/// <summary>
/// TLS-RPT alerts and resolutions reach the team's alert channels (webhook, Slack, Teams) as well as its mail: queued in
/// the alert's own transaction (once, however often the evaluation runs), one event id for all channels, each channel's
/// drift filter honoured, delivered to a real HTTPS receiver on loopback; report text (attacker-controlled) stays text.
/// </summary>
[Collection(PostgresCollection.Name)]
public class TlsRptChannelAlertTests(PostgresFixture postgres)
{
    private static DateOnly Today(ChannelTestKit kit) => DateOnly.FromDateTime(kit.Harness.Clock.GetUtcNow().UtcDateTime);

    private static TlsRptAlertEvaluator Evaluator(ChannelTestKit kit) => kit.Harness.Services.GetRequiredService<TlsRptAlertEvaluator>();

    private static async Task<List<OutboxMessage>> MailAsync(ChannelTestKit kit)
    {
        await using var db = kit.Harness.Db();
        return await db.Outbox.AsNoTracking().Where(m => m.Channel == OutboxChannels.Mail).OrderBy(m => m.Id).ToListAsync();
    }

    /// <summary>The strings Slack parses as mrkdwn: section and context texts.</summary>
    private static IEnumerable<string> Mrkdwn(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object when element.TryGetProperty("type", out var type) && type.GetString() == "mrkdwn" => [element.GetProperty("text").GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Mrkdwn(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Mrkdwn),
        _ => [],
    };

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    [Fact]
    public async Task An_alert_day_and_its_resolution_reach_each_enabled_channel_once_with_the_mail()
    {
        // Unexplained failures do not alert on their own here: the day alerts only for its new result type, a warning.
        await using var kit = await ChannelTestKit.StartAsync(postgres, "tlsrpt_channels", new() { ["TlsRpt:Alerts:MinUnexplainedSessions"] = "1000" });
        var team = await kit.TeamAsync();
        var domainId = await kit.Harness.AddDomainAsync();
        var (webhook, _) = await kit.AddChannelAsync(team, AlertChannelKinds.Webhook, "/webhook");
        var (slack, _) = await kit.AddChannelAsync(team, AlertChannelKinds.Slack, "/slack");
        var (teams, _) = await kit.AddChannelAsync(team, AlertChannelKinds.Teams, "/teams");
        await kit.AddChannelAsync(team, AlertChannelKinds.Slack, "/errors-only", driftThreshold: "error");
        var (disabled, _) = await kit.AddChannelAsync(team, AlertChannelKinds.Webhook, "/disabled");
        await kit.Channels.UpdateAsync(team, disabled.Id, new ChannelInput(null, null, null, null, null, false), CancellationToken.None);
        var day = Today(kit).AddDays(-2);
        // 2 of 500 sessions failed: under the threshold, but the result type is new for the domain.
        await ReportAsync(kit.Harness.ConnectionString, "Google Inc.", day, Policy("Google Inc.", day, "example.test", 498, 2, Failure("starttls-not-supported", "mx1.example.test", 2)));

        var evaluator = Evaluator(kit);
        Assert.Equal(1, (await evaluator.EvaluateAsync(CancellationToken.None)).AlertsQueued);
        Assert.Equal(0, (await evaluator.EvaluateAsync(CancellationToken.None)).AlertsQueued);
        await using (var second = kit.Harness.AddNode())
        {
            var runs = await Task.WhenAll(evaluator.EvaluateAsync(CancellationToken.None), second.GetRequiredService<TlsRptAlertEvaluator>().EvaluateAsync(CancellationToken.None));
            Assert.Equal(0, runs.Sum(r => r.AlertsQueued));
        }

        // One mail, one delivery for each enabled channel whose filter takes a warning, all under one event id.
        var mail = Assert.Single(await MailAsync(kit));
        var deliveries = await kit.ChannelDeliveriesAsync();
        Assert.Equal(new[] { webhook.Id, slack.Id, teams.Id }.Order(), deliveries.Select(d => d.ChannelId!.Value).Order());
        Assert.All(deliveries, d => Assert.Equal((OutboxKinds.Alert, domainId, mail.Subject), (d.Kind, d.DomainId, d.Subject)));
        var eventId = Assert.Single(deliveries.Select(d => d.MessageId).Distinct());

        Assert.Equal(4, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Sent);
        Assert.Single(kit.Mail.Mail.Messages);
        Assert.Empty(kit.RequestsTo("/errors-only"));
        Assert.Empty(kit.RequestsTo("/disabled"));
        var requests = new[] { "/webhook", "/slack", "/teams" }.Select(p => Assert.Single(kit.RequestsTo(p))).ToList();
        Assert.All(requests, r => Assert.Equal(eventId, r.Header("X-MonitorService-Event-Id")));

        // The webhook body: the alert mail's content as data, each reason with its code.
        var body = ChannelTestKit.Json(requests[0]);
        Assert.Equal(("alert", eventId, "example.test"), (body.GetProperty("type").GetString(), body.GetProperty("eventId").GetString(), body.GetProperty("domain").GetString()));
        Assert.Equal(mail.Subject, body.GetProperty("summary").GetString());
        var reason = Assert.Single(body.GetProperty("new").EnumerateArray());
        Assert.Equal(("TLSRPT_NEW_RESULT_TYPE", "warning"), (reason.GetProperty("code").GetString(), reason.GetProperty("severity").GetString()));
        Assert.Contains("starttls-not-supported", reason.GetProperty("message").GetString(), StringComparison.Ordinal);
        var row = Assert.Single(body.GetProperty("alsoChanged").EnumerateArray());
        Assert.Equal(("TLSRPT_FAILURE_DETAIL", "starttls-not-supported"), (row.GetProperty("code").GetString(), row.GetProperty("subject").GetString()));
        Assert.Contains("Google Inc.", row.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal($"https://monitor.example.test/domains/{domainId}", body.GetProperty("links").GetProperty("dashboard").GetString());

        // A later clear day resolves it: once, to the mail and the same channels, under a new event id.
        var clear = Today(kit).AddDays(-1);
        await ReportAsync(kit.Harness.ConnectionString, "Google Inc.", clear, Policy("Google Inc.", clear, "example.test", 500, 0));
        Assert.Equal(1, (await evaluator.EvaluateAsync(CancellationToken.None)).ResolutionsQueued);
        Assert.Equal(0, (await evaluator.EvaluateAsync(CancellationToken.None)).ResolutionsQueued);
        Assert.Equal(4, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Sent);
        Assert.Equal(2, kit.Mail.Mail.Messages.Count);
        Assert.Empty(kit.RequestsTo("/errors-only"));
        Assert.Empty(kit.RequestsTo("/disabled"));
        var resolutions = new[] { "/webhook", "/slack", "/teams" }.Select(p => kit.RequestsTo(p)[1]).ToList();
        var resolutionId = Assert.Single(resolutions.Select(r => r.Header("X-MonitorService-Event-Id")).Distinct());
        Assert.NotEqual(eventId, resolutionId);
        var resolution = ChannelTestKit.Json(resolutions[0]);
        Assert.Equal("resolution", resolution.GetProperty("type").GetString());
        var resolved = Assert.Single(resolution.GetProperty("resolved").EnumerateArray());
        Assert.Equal(("TLSRPT_FAILURES", $"{day:yyyy-MM-dd}"), (resolved.GetProperty("code").GetString(), resolved.GetProperty("subject").GetString()));
        Assert.Equal(8, (await kit.ChannelDeliveriesAsync()).Count + (await MailAsync(kit)).Count);
    }

    [Fact]
    public async Task A_team_with_channels_and_no_recipients_still_gets_the_alert_and_the_resolution()
    {
        var logs = new LogCapture();
        await using var kit = await ChannelTestKit.StartAsync(postgres, "tlsrpt_channels_only", logs: logs);
        var team = await kit.TeamAsync();
        var domainId = (await kit.Harness.Registry.AddAsync("example.test", "ops", TimeSpan.FromHours(1), [], CancellationToken.None)).Id;
        var (slack, _) = await kit.AddChannelAsync(team, AlertChannelKinds.Slack, "/slack");
        // Another team's domain with neither recipients nor channels: nothing to send to, nothing recorded, a log line.
        var silentId = (await kit.Harness.Registry.AddAsync("silent.example.test", "silent", TimeSpan.FromHours(1), [], CancellationToken.None)).Id;
        var day = Today(kit).AddDays(-2);
        await ReportAsync(kit.Harness.ConnectionString, "Google Inc.", day, Policy("Google Inc.", day, "example.test", 100, 20, Failure("certificate-expired", "mx1.example.test", 20)));
        await ReportAsync(kit.Harness.ConnectionString, "Google Inc.", day, Policy("Google Inc.", day, "silent.example.test", 100, 20, Failure("certificate-expired", "mx1.silent.example.test", 20)));

        Assert.Equal(1, (await Evaluator(kit).EvaluateAsync(CancellationToken.None)).AlertsQueued);
        Assert.Equal(0, (await Evaluator(kit).EvaluateAsync(CancellationToken.None)).AlertsQueued);
        Assert.Empty(await MailAsync(kit));
        var alert = Assert.Single(await kit.ChannelDeliveriesAsync());
        Assert.Equal((OutboxKinds.Alert, slack.Id, domainId), (alert.Kind, alert.ChannelId, alert.DomainId));
        await using (var db = kit.Harness.Db())
            Assert.Equal(domainId, (await db.TlsRptAlerts.SingleAsync()).DomainId);
        Assert.Contains(logs.Entries, e => e.Contains("silent.example.test", StringComparison.Ordinal) && e.Contains("no recipients", StringComparison.Ordinal));

        var clear = Today(kit).AddDays(-1);
        await ReportAsync(kit.Harness.ConnectionString, "Google Inc.", clear, Policy("Google Inc.", clear, "example.test", 500, 0));
        Assert.Equal(1, (await Evaluator(kit).EvaluateAsync(CancellationToken.None)).ResolutionsQueued);
        Assert.Equal([OutboxKinds.Alert, OutboxKinds.Resolution], (await kit.ChannelDeliveriesAsync()).Select(d => d.Kind).Order(StringComparer.Ordinal));
        Assert.Empty(await MailAsync(kit));

        Assert.Equal(2, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Sent);
        Assert.Equal(2, kit.RequestsTo("/slack").Count);
        Assert.Empty(kit.Mail.Mail.Messages);
        Assert.DoesNotContain(await kit.ChannelDeliveriesAsync(), d => d.DomainId == silentId);
    }

    [Fact]
    public async Task Hostile_report_text_stays_text_in_Slack_Teams_and_the_webhook()
    {
        await using var kit = await ChannelTestKit.StartAsync(postgres, "tlsrpt_channels_hostile");
        var team = await kit.TeamAsync();
        await kit.Harness.AddDomainAsync();
        await kit.AddChannelAsync(team, AlertChannelKinds.Slack, "/slack");
        await kit.AddChannelAsync(team, AlertChannelKinds.Teams, "/teams");
        await kit.AddChannelAsync(team, AlertChannelKinds.Webhook, "/webhook");
        const string organization = "<!channel> <https://evil.example/login|Open the dashboard> & @here [Reset](https://evil.example)\r\n*forged line*";
        const string mx = "<@U024BE7LH>.mx.example.test\n[x](https://evil.example)";
        const string resultType = "<!here>-type";
        var day = Today(kit).AddDays(-2);
        await ReportAsync(kit.Harness.ConnectionString, organization, day, Policy(organization, day, "example.test", 100, 20, Failure(resultType, mx, 20)));

        Assert.Equal(1, (await Evaluator(kit).EvaluateAsync(CancellationToken.None)).AlertsQueued);
        Assert.Equal(4, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Sent);

        // Slack: nothing from the report becomes a link, a mention or a line of its own.
        var slack = ChannelTestKit.Json(Assert.Single(kit.RequestsTo("/slack")));
        var parsed = Mrkdwn(slack).Append(slack.GetProperty("text").GetString()!).ToList();
        var mrkdwn = string.Join("\n", parsed);
        Assert.Contains("&lt;!channel&gt; &lt;https://evil.example/login|Open the dashboard&gt; &amp; @\u2060here", mrkdwn, StringComparison.Ordinal);
        Assert.Contains("&lt;@U024BE7LH&gt;.mx.example.test", mrkdwn, StringComparison.Ordinal);
        Assert.Contains("&lt;!here&gt;-type", mrkdwn, StringComparison.Ordinal);
        Assert.All(parsed, t => Assert.DoesNotContain('<', t));
        Assert.All(parsed, t => Assert.DoesNotContain('>', t));
        Assert.DoesNotContain(parsed, t => t.Contains('\r') || t.Split('\n').Any(l => l.StartsWith("*forged line*", StringComparison.Ordinal)));
        Assert.DoesNotContain(Strings(slack), t => t.Contains("@here", StringComparison.Ordinal));

        // Teams: no [text](url) can form.
        var card = ChannelTestKit.Json(Assert.Single(kit.RequestsTo("/teams"))).GetProperty("attachments")[0].GetProperty("content");
        var texts = Strings(card.GetProperty("body")).ToList();
        Assert.Contains(texts, t => t.Contains("[Reset]\u200B(https://evil.example)", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains("](", StringComparison.Ordinal) || t.Contains('\r'));

        // The webhook: the values as data, on one line each, and the raw body holds no markup.
        var webhook = Assert.Single(kit.RequestsTo("/webhook"));
        Assert.DoesNotContain("<", webhook.BodyText, StringComparison.Ordinal);
        var row = Assert.Single(ChannelTestKit.Json(webhook).GetProperty("alsoChanged").EnumerateArray());
        Assert.Equal(resultType, row.GetProperty("subject").GetString());
        var message = row.GetProperty("message").GetString()!;
        Assert.Contains("<!channel> <https://evil.example/login|Open the dashboard>", message, StringComparison.Ordinal);
        Assert.Contains("<@U024BE7LH>.mx.example.test", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
        Assert.DoesNotContain('\r', message);
    }
}
