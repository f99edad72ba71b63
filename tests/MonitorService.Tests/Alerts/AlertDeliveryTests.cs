using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MonitorService.Mail;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Alerts;

/// <summary>Alert mail from real checks, delivered to a real SMTP server on loopback, on a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public class AlertDeliveryTests(PostgresFixture postgres)
{
    private const string Mx3 = "mx3.example.test";

    private static void AddMx3(CheckEnvironment env)
    {
        env.Zone.AddMx(Domain, 30, Mx3).AddA(Mx3, MxSpareIp.ToString());
        env.Smtp.SetCertificate(Mx3, env.Ca.IssueLeaf(Mx3));
    }

    /// <summary>A healthy first check, then an MX host outside the policy: one alert queued.</summary>
    private static async Task<Guid> DriftAsync(MailTestKit kit)
    {
        var h = kit.Harness;
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromHours(1));
        AddMx3(h.Env);
        await h.CheckAsync(id);
        return id;
    }

    [Fact]
    public async Task A_drift_event_sends_one_clear_mail_once()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "alert_once");
        var healthy = await kit.Harness.AddDomainAsync();
        await kit.Harness.CheckAsync(healthy);
        Assert.Equal(0, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Attempted);

        kit.Harness.Clock.Advance(TimeSpan.FromHours(1));
        AddMx3(kit.Harness.Env);
        await kit.Harness.CheckAsync(healthy);
        var run = await kit.Delivery.DeliverAsync(false, CancellationToken.None);

        Assert.Equal((1, false), (run.Sent, run.Unreachable));
        var received = Assert.Single(kit.Mail.Messages);
        Assert.Equal(["ops@example.test"], received.Recipients);
        Assert.Equal("monitor@example.test", received.MailFrom);
        var mail = MailTestKit.Parse(received);
        Assert.Equal($"[MonitorService] {Domain}: MX host {Mx3} not covered by the MTA-STS policy", mail.Subject);
        Assert.EndsWith("@monitorservice.invalid", mail.MessageId, StringComparison.Ordinal);
        Assert.Equal("auto-generated", mail.Headers["Auto-Submitted"]);
        Assert.Contains("ops@example.test", mail.To.Mailboxes.Select(m => m.Address));
        foreach (var body in new[] { mail.TextBody, mail.HtmlBody })
        {
            Assert.NotNull(body);
            Assert.Contains("DRIFT_MX_NOT_COVERED", body, StringComparison.Ordinal);
            Assert.Contains($"mx: {Mx3}", body, StringComparison.Ordinal);       // the exact policy line to add
            Assert.Contains("v=STSv1; id=sts", body.Replace("&quot;", "\"", StringComparison.Ordinal), StringComparison.Ordinal); // then the new id
            Assert.Contains("DRIFT_MX_CHANGED", body, StringComparison.Ordinal); // what changed: the MX set before/after
            Assert.Contains($"https://monitor.example.test/domains/{healthy}", body, StringComparison.Ordinal);
        }
        var text = mail.TextBody!;
        Assert.True(text.IndexOf($"mx: {Mx3}", StringComparison.Ordinal) < text.IndexOf("v=STSv1; id=sts", StringComparison.Ordinal), "policy first, id second");

        // Nothing twice: another run, and an unchanged check, send nothing.
        Assert.Equal(0, (await kit.Delivery.DeliverAsync(true, CancellationToken.None)).Attempted);
        kit.Harness.Clock.Advance(TimeSpan.FromHours(1));
        await kit.Harness.CheckAsync(healthy);
        Assert.Equal(0, (await kit.Delivery.DeliverAsync(true, CancellationToken.None)).Attempted);
        Assert.Single(kit.Mail.Messages);
        await using var db = kit.Harness.Db();
        var attempt = Assert.Single(await db.DeliveryAttempts.ToListAsync());
        Assert.Equal(DeliveryOutcomes.Sent, attempt.Outcome);
    }

    [Fact]
    public async Task Smtp_down_keeps_the_mail_queued_retries_with_backoff_and_delivers_it_once()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "alert_retry");
        kit.Mail.DefaultBehavior = SmtpBehavior.CloseImmediately;
        await DriftAsync(kit);
        var clock = kit.Harness.Clock;

        var first = await kit.Delivery.DeliverAsync(false, CancellationToken.None);
        Assert.True(first.Unreachable);
        Assert.Equal(0, first.Sent);
        await using (var db = kit.Harness.Db())
        {
            var queued = await db.Outbox.SingleAsync();
            Assert.Equal((OutboxStatus.Queued, 1), (queued.Status, queued.AttemptCount));
            Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(1), queued.NextAttemptAt);
        }
        // Not due yet: nothing is tried.
        Assert.Equal(0, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Attempted);

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Retrying);
        await using (var db = kit.Harness.Db())
            Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(2), (await db.Outbox.SingleAsync()).NextAttemptAt); // doubled

        kit.Mail.DefaultBehavior = SmtpBehavior.Normal;
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Sent);
        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Attempted);
        Assert.Single(kit.Mail.Messages);
        await using (var db = kit.Harness.Db())
        {
            Assert.Equal([DeliveryOutcomes.Transient, DeliveryOutcomes.Transient, DeliveryOutcomes.Sent],
                await db.DeliveryAttempts.OrderBy(a => a.Id).Select(a => a.Outcome).ToListAsync());
            Assert.Equal(OutboxStatus.Sent, (await db.Outbox.SingleAsync()).Status);
        }
    }

    [Fact]
    public async Task A_4xx_is_retried_and_gives_up_only_after_the_retry_window()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "alert_4xx");
        kit.Mail.DefaultBehavior = SmtpBehavior.DeferRecipients;
        await DriftAsync(kit);
        var clock = kit.Harness.Clock;
        var run = await kit.Delivery.DeliverAsync(false, CancellationToken.None);
        Assert.Equal((1, false), (run.Retrying, run.Unreachable));

        // Retries run for 48 hours (the default), then the mail is marked failed.
        for (var i = 0; i < 60; i++)
        {
            clock.Advance(TimeSpan.FromHours(1));
            await kit.Delivery.DeliverAsync(false, CancellationToken.None);
        }
        await using var db = kit.Harness.Db();
        var message = await db.Outbox.SingleAsync();
        Assert.Equal(OutboxStatus.Failed, message.Status);
        var attempts = await db.DeliveryAttempts.OrderBy(a => a.Id).ToListAsync();
        Assert.True(attempts[^1].AttemptedAt - message.CreatedAt >= TimeSpan.FromHours(24));
        Assert.All(attempts, a => Assert.Equal(DeliveryOutcomes.Transient, a.Outcome));
        Assert.Empty(kit.Mail.Messages);
    }

    [Fact]
    public async Task A_permanent_5xx_is_recorded_and_not_retried()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "alert_5xx");
        kit.Mail.DefaultBehavior = SmtpBehavior.RejectRecipients;
        await DriftAsync(kit);

        var run = await kit.Delivery.DeliverAsync(false, CancellationToken.None);
        Assert.Equal((1, false), (run.Failed, run.Unreachable));
        kit.Mail.DefaultBehavior = SmtpBehavior.Normal;
        kit.Harness.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, (await kit.Delivery.DeliverAsync(true, CancellationToken.None)).Attempted);

        await using var db = kit.Harness.Db();
        var message = await db.Outbox.SingleAsync();
        Assert.Equal(OutboxStatus.Failed, message.Status);
        Assert.Contains("550", message.LastError, StringComparison.Ordinal);
        var attempt = Assert.Single(await db.DeliveryAttempts.ToListAsync());
        Assert.Equal(DeliveryOutcomes.Permanent, attempt.Outcome);
        Assert.Empty(kit.Mail.Messages);
    }

    [Fact]
    public async Task A_node_that_dies_between_claim_and_send_loses_nothing()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "alert_crash");
        await DriftAsync(kit);
        var clock = kit.Harness.Clock;
        await using (var db = kit.Harness.Db())
        {
            // The dead node's claim: taken, never settled.
            var claims = await OutboxClaims.ClaimAsync(db, clock.GetUtcNow(), TimeSpan.FromMinutes(5), 10, false, [], CancellationToken.None);
            Assert.Single(claims);
        }
        Assert.Equal(0, (await kit.Delivery.DeliverAsync(true, CancellationToken.None)).Attempted); // still claimed

        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(1, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Sent);
        Assert.Single(kit.Mail.Messages);
    }

    [Fact]
    public async Task Two_nodes_deliver_each_alert_once()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "alert_two_nodes");
        // Several domains, each with its own alert.
        var h = kit.Harness;
        var ids = new List<Guid> { await h.AddDomainAsync() };
        foreach (var id in ids)
            await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromHours(1));
        AddMx3(h.Env);
        foreach (var id in ids)
            await h.CheckAsync(id);
        await using (var db = h.Db())
        {
            // More mail to race for: copies of the alert under new ids, as other domains' alerts would be.
            var template = await db.Outbox.AsNoTracking().SingleAsync();
            for (var i = 0; i < 20; i++)
            {
                var copyId = Guid.NewGuid();
                db.Outbox.Add(new OutboxMessage
                {
                    Id = copyId, Kind = template.Kind, MessageId = MailMessageFactory.MessageIdFor(copyId), Subject = template.Subject,
                    Recipients = template.Recipients, Mime = template.Mime, CreatedAt = template.CreatedAt, NextAttemptAt = template.NextAttemptAt,
                });
            }
            await db.SaveChangesAsync();
        }
        await using var second = h.AddNode();
        var runs = await Task.WhenAll(
            kit.Delivery.DeliverAsync(false, CancellationToken.None),
            second.GetRequiredService<OutboxDelivery>().DeliverAsync(false, CancellationToken.None));

        Assert.Equal(21, runs.Sum(r => r.Sent));
        Assert.Equal(21, kit.Mail.Messages.Count);
        await using var check = h.Db();
        Assert.Equal(21, await check.DeliveryAttempts.CountAsync());
        Assert.Equal(21, await check.Outbox.CountAsync(m => m.Status == OutboxStatus.Sent));
    }
}
