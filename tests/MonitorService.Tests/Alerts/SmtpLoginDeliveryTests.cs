using System.Text;
using Microsoft.EntityFrameworkCore;
using MonitorService.Mail;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Alerts;

/// <summary>
/// Alert mail through a relay that wants a login, as a mail provider's submission service does: AUTH only on an
/// encrypted connection (after STARTTLS, or with implicit TLS), MAIL refused before it. Real checks, real outbox,
/// real PostgreSQL, the service's own SMTP transport (MailKit).
/// </summary>
[Collection(PostgresCollection.Name)]
public class SmtpLoginDeliveryTests(PostgresFixture postgres)
{
    private const string User = "monitor";
    private const string Password = "s3cret-Pa55word!";
    private const string WrongPassword = "Tr0ub4dor&3-wrong";

    private static Dictionary<string, string?> Login(string password) => new() { ["Smtp:Username"] = User, ["Smtp:Password"] = password };

    /// <summary>The first check of a domain whose policy leaves out mx2 opens an error incident: one alert queued.</summary>
    private static async Task QueueAlertAsync(MailTestKit kit)
    {
        kit.Harness.Env.Https.SetResponse(PolicyHost, PolicyResponse.Policy("enforce", 604800, Mx1));
        await kit.Harness.CheckAsync(await kit.Harness.AddDomainAsync());
        await using var db = kit.Harness.Db();
        Assert.Equal(1, await db.Outbox.CountAsync(m => m.Status == OutboxStatus.Queued));
    }

    [Fact]
    public async Task An_alert_is_delivered_with_a_login_after_starttls()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "smtp_login_starttls", Login(Password), SmtpSecurity.StartTls);
        kit.Mail.Credentials.Add(User, Password);
        await QueueAlertAsync(kit);

        var run = await kit.Delivery.DeliverAsync(false, CancellationToken.None);

        Assert.Equal((1, 0, 0), (run.Sent, run.Retrying, run.Failed));
        var received = Assert.Single(kit.Mail.Messages);
        Assert.Equal(User, received.AuthenticatedUser);
        Assert.True(received.OverTls);
        Assert.Equal("monitor@example.test", received.MailFrom);
        Assert.Equal(["ops@example.test"], received.Recipients);
        Assert.StartsWith($"[MonitorService] {Domain}: MX host {Mx2} not covered", MailTestKit.Parse(received).Subject, StringComparison.Ordinal);
        var connection = Assert.Single(kit.Mail.Connections);
        Assert.False(connection.ImplicitTls);
        Assert.Contains("STARTTLS", connection.Commands);
        // The login went over TLS: AUTH is among the commands after the handshake, and succeeded with the strongest offer.
        Assert.Contains(connection.CommandsAfterTls, c => c.StartsWith("AUTH PLAIN", StringComparison.Ordinal));
        Assert.Equal([new SmtpAuthAttempt(SmtpAuthMechanisms.Plain, User, true)], connection.AuthAttempts);
        await using var db = kit.Harness.Db();
        var attempt = Assert.Single(await db.DeliveryAttempts.ToListAsync());
        Assert.Equal((DeliveryOutcomes.Sent, $"smtp://localhost:{kit.Mail.Port}"), (attempt.Outcome, attempt.Transport));
    }

    [Fact]
    public async Task An_alert_is_delivered_with_a_login_over_implicit_tls()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "smtp_login_tls", Login(Password), SmtpSecurity.Tls);
        kit.Mail.Credentials.Add(User, Password);
        kit.Mail.Credentials.Mechanisms = [SmtpAuthMechanisms.Login];
        await QueueAlertAsync(kit);

        var run = await kit.Delivery.DeliverAsync(false, CancellationToken.None);

        Assert.Equal(1, run.Sent);
        var received = Assert.Single(kit.Mail.Messages);
        Assert.Equal(User, received.AuthenticatedUser);
        Assert.True(received.OverTls);
        Assert.Equal(["ops@example.test"], received.Recipients);
        var connection = Assert.Single(kit.Mail.Connections);
        Assert.True(connection.ImplicitTls);
        Assert.True(connection.TlsNegotiated);
        Assert.Equal("localhost", connection.SniHostName);
        Assert.DoesNotContain("STARTTLS", connection.Commands);
        Assert.Equal(connection.Commands, connection.CommandsAfterTls); // nothing was said before the handshake
        Assert.Equal([new SmtpAuthAttempt(SmtpAuthMechanisms.Login, User, true)], connection.AuthAttempts);
    }

    [Fact]
    public async Task A_refused_login_is_recorded_clearly_retried_later_and_the_password_is_never_written_anywhere()
    {
        var logs = new LogCapture();
        await using var kit = await MailTestKit.StartAsync(postgres, "smtp_login_refused", Login(WrongPassword), SmtpSecurity.StartTls, logs);
        kit.Mail.Credentials.Add(User, Password);
        await QueueAlertAsync(kit);
        await using (var db = kit.Harness.Db())
        {
            // A second queued mail: a refused login is the relay's verdict on us, not on one message.
            var template = await db.Outbox.AsNoTracking().SingleAsync();
            var copy = Guid.NewGuid();
            db.Outbox.Add(new OutboxMessage
            {
                Id = copy, Kind = template.Kind, MessageId = MailMessageFactory.MessageIdFor(copy), Subject = template.Subject,
                Recipients = template.Recipients, Mime = template.Mime, CreatedAt = template.CreatedAt, NextAttemptAt = template.NextAttemptAt,
            });
            await db.SaveChangesAsync();
        }
        var clock = kit.Harness.Clock;

        var run = await kit.Delivery.DeliverAsync(false, CancellationToken.None);

        Assert.Equal((0, 1, 0), (run.Sent, run.Retrying, run.Failed));
        Assert.Empty(kit.Mail.Messages);
        var connection = Assert.Single(kit.Mail.Connections); // the run stopped at the first refusal
        Assert.NotEmpty(connection.AuthAttempts);
        Assert.All(connection.AuthAttempts, a => Assert.Equal((User, false), (a.Username, a.Succeeded)));
        await using (var db = kit.Harness.Db())
        {
            var attempt = Assert.Single(await db.DeliveryAttempts.ToListAsync());
            Assert.Equal(DeliveryOutcomes.Transient, attempt.Outcome);
            Assert.Contains($"smtp://localhost:{kit.Mail.Port} refused the login of {User}", attempt.Detail, StringComparison.Ordinal);
            Assert.Contains("535", attempt.Detail, StringComparison.Ordinal);
            Assert.Contains("Smtp:Password", attempt.Detail, StringComparison.Ordinal); // what to look at
            var tried = await db.Outbox.SingleAsync(m => m.Id == attempt.OutboxMessageId);
            Assert.Equal((OutboxStatus.Queued, 1, clock.GetUtcNow() + TimeSpan.FromMinutes(1)), (tried.Status, tried.AttemptCount, tried.NextAttemptAt));
            Assert.Equal(attempt.Detail, tried.LastError);
            var untried = await db.Outbox.SingleAsync(m => m.Id != attempt.OutboxMessageId);
            Assert.Equal((OutboxStatus.Queued, 0), (untried.Status, untried.AttemptCount));
        }
        Assert.Contains(logs.Entries, e => e.Contains("refused the login of monitor", StringComparison.Ordinal));

        // The relay's account is put right: both mails go out with the next due run.
        kit.Mail.Credentials.Add(User, WrongPassword);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(2, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Sent);
        Assert.Equal(2, kit.Mail.Messages.Count);

        var secrets = new[]
        {
            WrongPassword,
            Convert.ToBase64String(Encoding.UTF8.GetBytes(WrongPassword)),           // LOGIN's password line
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{User}\0{WrongPassword}")), // PLAIN's response
        };
        await using (var db = kit.Harness.Db())
        {
            var stored = (await db.DeliveryAttempts.Select(a => a.Detail).ToListAsync())
                .Concat(await db.Outbox.Select(m => m.LastError).ToListAsync())
                .Concat(await db.Outbox.Select(m => m.Mime).ToListAsync());
            foreach (var text in stored.OfType<string>())
                Assert.DoesNotContain(secrets, s => text.Contains(s, StringComparison.Ordinal));
        }
        Assert.NotEmpty(logs.Entries);
        foreach (var entry in logs.Entries)
            Assert.DoesNotContain(secrets, s => entry.Contains(s, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_login_is_never_sent_over_an_unencrypted_connection()
    {
        var logs = new LogCapture();
        await using var kit = await MailTestKit.StartAsync(postgres, "smtp_login_plain", Login(Password), SmtpSecurity.None, logs);
        kit.Mail.Credentials.Add(User, Password);
        await QueueAlertAsync(kit);

        var run = await kit.Delivery.DeliverAsync(false, CancellationToken.None);

        Assert.Equal((0, 1), (run.Sent, run.Retrying));
        var connection = Assert.Single(kit.Mail.Connections);
        Assert.Empty(connection.AuthAttempts);
        Assert.DoesNotContain(connection.Commands, c => c.StartsWith("AUTH", StringComparison.Ordinal));
        await using var db = kit.Harness.Db();
        var attempt = Assert.Single(await db.DeliveryAttempts.ToListAsync());
        Assert.Equal(DeliveryOutcomes.Transient, attempt.Outcome);
        Assert.Contains("does not offer a login", attempt.Detail, StringComparison.Ordinal);
        Assert.Contains("Smtp:Security", attempt.Detail, StringComparison.Ordinal);
        Assert.Equal(OutboxStatus.Queued, (await db.Outbox.SingleAsync()).Status);
        Assert.DoesNotContain(logs.Entries, e => e.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_relay_that_wants_a_login_the_service_does_not_have_is_recorded_clearly_and_retried()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "smtp_login_missing", security: SmtpSecurity.StartTls);
        kit.Mail.Credentials.Add(User, Password);
        await QueueAlertAsync(kit);

        var run = await kit.Delivery.DeliverAsync(false, CancellationToken.None);

        Assert.Equal((0, 1), (run.Sent, run.Retrying));
        Assert.Empty(kit.Mail.Messages);
        await using var db = kit.Harness.Db();
        var attempt = Assert.Single(await db.DeliveryAttempts.ToListAsync());
        Assert.Equal(DeliveryOutcomes.Transient, attempt.Outcome);
        Assert.Contains("530", attempt.Detail, StringComparison.Ordinal);
        Assert.Contains("Smtp:Username", attempt.Detail, StringComparison.Ordinal);
        var message = await db.Outbox.SingleAsync();
        Assert.Equal((OutboxStatus.Queued, 1), (message.Status, message.AttemptCount));
    }
}
