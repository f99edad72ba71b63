using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MonitorService.Alerts;
using MonitorService.Digest;
using MonitorService.Mail;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;

namespace MonitorService.Tests.Alerts;

/// <summary>Hostile content, digests, the .eml default and the two-node digest, through the real outbox and SMTP server.</summary>
[Collection(PostgresCollection.Name)]
public class MailContentTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Hostile_domain_content_is_escaped_and_adds_no_header()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "mail_hostile");
        var hostile = "mx.example.test\r\nBcc: victim@example.test\r\nX-Injected: 1 <script>alert(1)</script> Ünïcødé " + new string('x', 2000);
        var item = new AlertItem("drift", "DRIFT_MX_NOT_COVERED", "error", hostile, $"Policy line \"mx: {hostile}\"\nnext <b>line</b>", $"mx: {hostile}", null);
        var content = new AlertContent("example.test", AlertHeadline.For([item]), DateTimeOffset.UtcNow, [item], [], [], null);
        await using (var db = kit.Harness.Db())
        {
            kit.Harness.Services.GetRequiredService<OutboxWriter>().Add(db, new OutgoingMail(OutboxKinds.Alert, null, null, ["ops@example.test"],
                AlertMailRenderer.Subject(content), AlertMailRenderer.Text(content), AlertMailRenderer.Html(content)));
            await db.SaveChangesAsync();
        }
        Assert.Equal(1, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Sent);

        var received = Assert.Single(kit.Mail.Messages);
        Assert.Equal(["ops@example.test"], received.Recipients); // no Bcc smuggled in
        var headers = MailTestKit.HeaderNames(received);
        Assert.DoesNotContain("Bcc", headers);
        Assert.DoesNotContain("X-Injected", headers);
        Assert.Equal(1, headers.Count(h => h == "Subject"));
        Assert.All(received.Data.Split("\r\n"), line => Assert.True(line.Length <= 998, "no over-long line on the wire"));
        Assert.All(received.Data, c => Assert.True(c < 128, "7-bit on the wire"));

        var mail = MailTestKit.Parse(received);
        Assert.DoesNotContain("\n", mail.Subject, StringComparison.Ordinal);
        Assert.StartsWith("[MonitorService] example.test: MX host mx.example.test Bcc: victim@example.test", mail.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>line</b>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Ünïcødé", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Ünïcødé", System.Net.WebUtility.HtmlDecode(mail.HtmlBody), StringComparison.Ordinal); // as character references
    }

    private static async Task<Team> TeamAsync(MonitorHarness h, string name)
    {
        await using var db = h.Db();
        return await db.Teams.SingleAsync(t => t.Name == name);
    }

    [Fact]
    public async Task The_digest_names_every_domain_of_the_team_and_only_those()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "digest_team");
        var h = kit.Harness;
        var checkedDomain = await h.AddDomainAsync();
        await h.CheckAsync(checkedDomain);
        await h.Registry.AddAsync("second.example.test", "ops", TimeSpan.FromHours(1), ["ops@example.test"], CancellationToken.None);
        await h.Registry.AddAsync("other-team.example.test", "sales", TimeSpan.FromHours(1), ["sales@example.test"], CancellationToken.None);

        var digests = h.Services.GetRequiredService<DigestService>();
        await digests.QueueNowAsync(await TeamAsync(h, "ops"), CancellationToken.None);
        Assert.Equal(1, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Sent);

        var received = Assert.Single(kit.Mail.Messages);
        Assert.Equal(["ops@example.test"], received.Recipients);
        var mail = MailTestKit.Parse(received);
        Assert.Equal("[MonitorService] Weekly MTA-STS digest for ops: 2 domains, all healthy", mail.Subject);
        foreach (var body in new[] { mail.TextBody!, mail.HtmlBody! })
        {
            Assert.Contains(CheckEnvironment.Domain, body, StringComparison.Ordinal);
            Assert.Contains("second.example.test", body, StringComparison.Ordinal);
            Assert.DoesNotContain("other-team.example.test", body, StringComparison.Ordinal);
        }
        Assert.Contains("mode enforce", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
        // The health strip: seven days per domain.
        Assert.Equal(14, System.Text.RegularExpressions.Regex.Count(mail.HtmlBody!, "<td title=\"[0-9]{4}-[0-9]{2}-[0-9]{2}: "));
    }

    [Fact]
    public async Task Two_nodes_firing_the_weekly_schedule_send_one_digest()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "digest_two_nodes");
        var h = kit.Harness;
        await h.CheckAsync(await h.AddDomainAsync());
        var team = await TeamAsync(h, "ops");
        await using var second = h.AddNode();
        var monday = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

        var queued = await Task.WhenAll(
            h.Services.GetRequiredService<DigestService>().QueueWeeklyAsync(team.Id, monday, CancellationToken.None),
            second.GetRequiredService<DigestService>().QueueWeeklyAsync(team.Id, monday, CancellationToken.None));
        // A restart later the same week fires again (a misfire catch-up): still once.
        var again = await second.GetRequiredService<DigestService>().QueueWeeklyAsync(team.Id, monday.AddHours(30), CancellationToken.None);
        Assert.Single(queued, q => q.Count > 0);
        Assert.Empty(again);
        await Task.WhenAll(kit.Delivery.DeliverAsync(false, CancellationToken.None), second.GetRequiredService<OutboxDelivery>().DeliverAsync(false, CancellationToken.None));
        Assert.Single(kit.Mail.Messages);

        // The next week's digest is a new one.
        Assert.NotEmpty(await h.Services.GetRequiredService<DigestService>().QueueWeeklyAsync(team.Id, monday.AddDays(7), CancellationToken.None));
    }

    [Fact]
    public async Task Without_an_smtp_host_mail_is_written_as_readable_eml_files()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"monitor-outbox-{Guid.NewGuid():N}");
        await using var h = await MonitorHarness.StartAsync(postgres, "mail_eml", new() { ["Smtp:OutboxDirectory"] = folder });
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromHours(1));
        h.Env.Https.SetResponse(CheckEnvironment.PolicyHost, PolicyResponse.Ok("version: STSv1\r\nmode: enforce\r\nmax_age: 604800\r\nmx: mx1.example.test\r\n"));
        await h.CheckAsync(id);

        var run = await h.Services.GetRequiredService<OutboxDelivery>().DeliverAsync(false, CancellationToken.None);
        Assert.Equal(1, run.Sent);
        var file = Assert.Single(Directory.GetFiles(folder, "*.eml"));
        var mail = await MimeMessage.LoadAsync(file);
        Assert.StartsWith($"[MonitorService] {CheckEnvironment.Domain}: ", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("ops@example.test", mail.To.Mailboxes.Select(m => m.Address));
        Assert.NotNull(mail.TextBody);
        Assert.NotNull(mail.HtmlBody);
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData("2026-03-02T08:00:00Z", "UTC", "2026-03-02")] // Monday itself
    [InlineData("2026-03-08T23:00:00Z", "UTC", "2026-03-02")] // Sunday: still that week
    [InlineData("2026-03-01T23:30:00Z", "Europe/Berlin", "2026-03-02")] // already Monday in Berlin
    public void The_digest_week_is_counted_in_the_teams_time_zone(string at, string zone, string expected)
    {
        var settings = TeamMailSettings.For(new Team { Name = "t", TimeZone = zone }, new AlertOptions());
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), settings.WeekOf(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("0 0 8 ? * MON", DigestSchedule.Cron(DayOfWeek.Monday, new TimeOnly(8, 0)));
    }
}
