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
}
