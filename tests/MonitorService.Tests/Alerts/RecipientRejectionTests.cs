using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MonitorService.Storage;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;
using MonitorService.Web.Queries;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Alerts;

/// <summary>
/// A relay that refuses some recipients of an alert (RCPT TO answered 550 or 451) must not cost the others their
/// mail: everyone accepted gets it, every refusal is recorded where the team sees it, nobody is dropped silently.
/// </summary>
[Collection(PostgresCollection.Name)]
public class RecipientRejectionTests(PostgresFixture postgres)
{
    private const string Mx3 = "mx3.example.test";

    /// <summary>A domain with these recipients, a healthy check, then an MX host outside the policy: one alert queued.</summary>
    private static async Task<Guid> AlertToAsync(MailTestKit kit, params string[] recipients)
    {
        var h = kit.Harness;
        var domain = await h.Registry.AddAsync(Domain, "ops", TimeSpan.FromHours(1), recipients, CancellationToken.None);
        await h.CheckAsync(domain.Id);
        h.Clock.Advance(TimeSpan.FromHours(1));
        h.Env.Zone.AddMx(Domain, 30, Mx3).AddA(Mx3, MxSpareIp.ToString());
        h.Env.Smtp.SetCertificate(Mx3, h.Env.Ca.IssueLeaf(Mx3));
        await h.CheckAsync(domain.Id);
        await using var db = h.Db();
        return (await db.Teams.SingleAsync(t => t.Name == "ops")).Id;
    }

    [Fact]
    public async Task A_permanently_refused_recipient_is_recorded_and_the_others_get_the_alert()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "rcpt_gone");
        kit.Mail.DefaultBehavior = SmtpBehavior.RejectSomeRecipients;
        var teamId = await AlertToAsync(kit, "ops@example.test", "gone@example.test");

        var run = await kit.Delivery.DeliverAsync(false, CancellationToken.None);

        Assert.Equal((1, 0, 0), (run.Sent, run.Retrying, run.Failed));
        var received = Assert.Single(kit.Mail.Messages);
        Assert.Equal(["ops@example.test"], received.Recipients);
        await using (var db = kit.Harness.Db())
        {
            var message = await db.Outbox.SingleAsync();
            Assert.Equal(OutboxStatus.Sent, message.Status);
            Assert.Equal(["ops@example.test", "gone@example.test"], message.Recipients); // the log keeps who it was for
            var attempts = await db.DeliveryAttempts.OrderBy(a => a.Id).ToListAsync();
            Assert.Equal(2, attempts.Count);
            Assert.Single(attempts, a => a.Outcome == DeliveryOutcomes.Sent);
            var refused = Assert.Single(attempts, a => a.Outcome == DeliveryOutcomes.Permanent);
            Assert.Contains("gone@example.test", refused.Detail, StringComparison.Ordinal);
            Assert.Contains("550", refused.Detail, StringComparison.Ordinal);
        }

        // The team's alert log (the Teams/Alerts page reads it) shows the refusal with the mail.
        var log = await new AlertLogQuery(kit.Harness.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>()).PageAsync(teamId, 1, CancellationToken.None);
        var entry = Assert.Single(log);
        Assert.Contains(entry.Attempts, a => a.Outcome == DeliveryOutcomes.Permanent && a.Detail!.Contains("gone@example.test", StringComparison.Ordinal));

        // Nothing is retried: the refusal was permanent and the others have the mail.
        kit.Harness.Clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(0, (await kit.Delivery.DeliverAsync(true, CancellationToken.None)).Attempted);
        Assert.Single(kit.Mail.Messages);
    }

    [Fact]
    public async Task A_temporarily_refused_recipient_gets_the_same_message_later_and_nobody_gets_it_twice()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "rcpt_busy");
        kit.Mail.DefaultBehavior = SmtpBehavior.RejectSomeRecipients;
        await AlertToAsync(kit, "ops@example.test", "busy@example.test", "gone@example.test");

        var first = await kit.Delivery.DeliverAsync(false, CancellationToken.None);
        Assert.Equal(1, first.Sent);
        var delivered = Assert.Single(kit.Mail.Messages);
        Assert.Equal(["ops@example.test"], delivered.Recipients);

        // Not due before its backoff; then the relay has room for busy@ and it gets the very same message.
        Assert.Equal(0, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Attempted);
        kit.Mail.DefaultBehavior = SmtpBehavior.Normal;
        kit.Harness.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Sent);
        Assert.Equal(2, kit.Mail.Messages.Count);
        var later = kit.Mail.Messages[1];
        Assert.Equal(["busy@example.test"], later.Recipients); // only busy@: ops@ has it, gone@ is gone
        Assert.Equal(MailTestKit.Parse(delivered).MessageId, MailTestKit.Parse(later).MessageId);

        kit.Harness.Clock.Advance(TimeSpan.FromHours(3));
        Assert.Equal(0, (await kit.Delivery.DeliverAsync(true, CancellationToken.None)).Attempted);
        await using var db = kit.Harness.Db();
        Assert.All(await db.Outbox.ToListAsync(), m => Assert.Equal(OutboxStatus.Sent, m.Status));
        var details = await db.DeliveryAttempts.Where(a => a.Outcome != DeliveryOutcomes.Sent).Select(a => a.Detail!).ToListAsync();
        Assert.Contains(details, d => d.Contains("busy@example.test", StringComparison.Ordinal) && d.Contains("451", StringComparison.Ordinal));
        Assert.Contains(details, d => d.Contains("gone@example.test", StringComparison.Ordinal) && d.Contains("550", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_when_every_recipient_is_refused_permanently_the_mail_fails()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "rcpt_all_gone");
        kit.Mail.DefaultBehavior = SmtpBehavior.RejectSomeRecipients;
        await AlertToAsync(kit, "gone-1@example.test", "gone-2@example.test");

        var run = await kit.Delivery.DeliverAsync(false, CancellationToken.None);

        Assert.Equal((0, 0, 1), (run.Sent, run.Retrying, run.Failed));
        Assert.Empty(kit.Mail.Messages);
        await using var db = kit.Harness.Db();
        var message = await db.Outbox.SingleAsync();
        Assert.Equal(OutboxStatus.Failed, message.Status);
        var attempts = await db.DeliveryAttempts.OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(DeliveryOutcomes.Permanent, a.Outcome));
        Assert.Contains(attempts, a => a.Detail!.Contains("gone-1@example.test", StringComparison.Ordinal));
        Assert.Contains(attempts, a => a.Detail!.Contains("gone-2@example.test", StringComparison.Ordinal));
    }
}
