using Microsoft.EntityFrameworkCore;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Alerts;

/// <summary>
/// The mail that tells the team a problem is gone: real checks against the loopback servers open an incident, the
/// domain is fixed, the next check closes it, and the resolution mail goes through the outbox to the SMTP server.
/// </summary>
[Collection(PostgresCollection.Name)]
public class ResolutionMailTests(PostgresFixture postgres)
{
    private const string PolicyWithoutMx = "version: STSv1\r\nmode: enforce\r\nmax_age: 604800\r\n";

    /// <summary>The fix a careful operator publishes: the healthy policy, under a new id so senders refetch it.</summary>
    private static void PublishFixedPolicy(CheckEnvironment env)
    {
        env.Https.SetResponse(PolicyHost, PolicyResponse.Ok(HealthyPolicy));
        PublishTxt(env, "v=STSv1; id=20260202");
    }

    private static void PublishTxt(CheckEnvironment env, string record)
    {
        env.Zone.Remove($"_mta-sts.{Domain}", "TXT");
        env.Zone.AddTxt($"_mta-sts.{Domain}", record);
    }

    /// <summary>Times as the mail shows them.</summary>
    private static string Utc(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<IReadOnlyList<OutboxMessage>> OutboxAsync(MailTestKit kit)
    {
        await using var db = kit.Harness.Db();
        return await db.Outbox.AsNoTracking().OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync();
    }

    [Fact]
    public async Task Fixing_the_policy_sends_a_resolution_mail_saying_what_was_resolved_where_and_since_when()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "resolution_mail");
        var h = kit.Harness;
        h.Env.Https.SetResponse(PolicyHost, PolicyResponse.Ok(PolicyWithoutMx));
        var id = await h.AddDomainAsync();
        var brokenSince = h.Clock.GetUtcNow();
        await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromHours(3));
        await h.CheckAsync(id);                       // still broken: nothing new to say
        Assert.Equal(1, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Sent);
        Assert.Contains("MTASTS_NO_MX", MailTestKit.Parse(Assert.Single(kit.Mail.Messages)).TextBody, StringComparison.Ordinal);

        h.Clock.Advance(TimeSpan.FromHours(1));
        PublishFixedPolicy(h.Env);
        var fixedAt = h.Clock.GetUtcNow();
        var closed = Assert.Single((await h.CheckAsync(id)).Incidents.Closed);
        Assert.Equal("MTASTS_NO_MX", closed.Code);
        Assert.Equal(1, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Sent);

        Assert.Equal([OutboxKinds.Alert, OutboxKinds.Resolution], (await OutboxAsync(kit)).Select(m => m.Kind));
        var received = kit.Mail.Messages[1];
        Assert.Equal(["ops@example.test"], received.Recipients);
        var mail = MailTestKit.Parse(received);
        Assert.Equal($"[MonitorService] {Domain}: resolved: The policy has no mx line, but mode enforce needs at least one: senders reject the policy", mail.Subject);
        Assert.Equal("auto-generated", mail.Headers["Auto-Submitted"]);

        var text = mail.TextBody!;
        Assert.Contains($"Checked {Domain} at {Utc(fixedAt)}.", text, StringComparison.Ordinal);
        Assert.Contains($"RESOLVED (1)\n\n[resolved] MTASTS_NO_MX (open since {Utc(brokenSince)})\n  The policy has no mx line", text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.DoesNotContain("NEW (", text, StringComparison.Ordinal);   // nothing new is wrong
        Assert.DoesNotContain("Fix:", text, StringComparison.Ordinal);    // nothing to do
        Assert.Contains($"https://monitor.example.test/domains/{id}", text, StringComparison.Ordinal);

        var html = mail.HtmlBody!;
        Assert.Contains($"<h2 style=\"font-size:18px;\">{Domain}: resolved: The policy has no mx line", html, StringComparison.Ordinal);
        Assert.Contains("Resolved (1)", html, StringComparison.Ordinal);
        Assert.Contains($"<b>MTASTS_NO_MX</b> (open since {Utc(brokenSince)})", html, StringComparison.Ordinal);
        Assert.DoesNotContain("New (", html, StringComparison.Ordinal);

        // It stays fixed: no more mail.
        h.Clock.Advance(TimeSpan.FromHours(1));
        await h.CheckAsync(id);
        Assert.Equal(0, (await kit.Delivery.DeliverAsync(true, CancellationToken.None)).Attempted);
        Assert.Equal(2, kit.Mail.Messages.Count);
    }

    public static TheoryData<string, string, string> HostilePublications => new()
    {
        // The _mta-sts TXT record is any bytes the domain likes: CR/LF to start a header, markup, a terminal escape.
        { "txt", "v=STSv1; id=<script>alert(1)</script>\r\nBcc: victim@example.test\r\nX-Injected: \u001b[2J yes", "MTASTS_TXT_INVALID" },
        // A policy line cannot carry CR or LF (they end it), but its value can carry markup.
        { "policy", PolicyResponse.PolicyText("enforce", 604800, Mx1, Mx2, "<script>alert(1)</script><img src=x onerror=alert(2)>"), "MTASTS_MX_PATTERN_INVALID" },
    };

    [Theory]
    [MemberData(nameof(HostilePublications))]
    public async Task Hostile_content_of_a_resolved_problem_is_escaped_and_adds_no_header(string where, string published, string code)
    {
        await using var kit = await MailTestKit.StartAsync(postgres, $"resolution_hostile_{where}");
        var h = kit.Harness;
        if (where == "txt")
            PublishTxt(h.Env, published);
        else
            h.Env.Https.SetResponse(PolicyHost, PolicyResponse.Ok(published));
        var id = await h.AddDomainAsync();
        Assert.Equal(code, Assert.Single((await h.CheckAsync(id)).Incidents.Opened).Code);
        h.Clock.Advance(TimeSpan.FromHours(1));
        PublishFixedPolicy(h.Env);
        Assert.Equal(code, Assert.Single((await h.CheckAsync(id)).Incidents.Closed).Code);

        Assert.Equal(2, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Sent);
        Assert.Equal([OutboxKinds.Alert, OutboxKinds.Resolution], (await OutboxAsync(kit)).Select(m => m.Kind));
        var resolution = MailTestKit.Parse(kit.Mail.Messages[1]);
        Assert.StartsWith($"[MonitorService] {Domain}: resolved: ", resolution.Subject, StringComparison.Ordinal);
        Assert.Contains("<script>", resolution.Subject, StringComparison.Ordinal); // the headline quotes it: as text, in one header
        Assert.Contains($"[resolved] {code}", resolution.TextBody, StringComparison.Ordinal);

        foreach (var received in kit.Mail.Messages) // the alert and the resolution
        {
            Assert.Equal(["ops@example.test"], received.Recipients);
            var headers = MailTestKit.HeaderNames(received);
            Assert.DoesNotContain("Bcc", headers);
            Assert.DoesNotContain("X-Injected", headers);
            Assert.Equal(1, headers.Count(n => n == "Subject"));
            Assert.All(received.Data, c => Assert.True(c < 128, "7-bit on the wire"));

            var mail = MailTestKit.Parse(received);
            Assert.NotNull(mail.Subject);
            Assert.DoesNotContain('\r', mail.Subject);
            Assert.DoesNotContain('\n', mail.Subject);
            Assert.DoesNotContain('\u001b', mail.Subject);
            var html = mail.HtmlBody!;
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
            // Plain text shows what was published, but no control character other than line ends survives.
            Assert.Contains("<script>alert(1)</script>", mail.TextBody, StringComparison.Ordinal);
            Assert.All(mail.TextBody!, c => Assert.False(char.IsControl(c) && c is not ('\r' or '\n' or '\t'), $"control character U+{(int)c:X4} in the text part"));
        }
    }
}
