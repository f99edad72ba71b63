using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MonitorService.Digest;
using MonitorService.Tests.Alerts;
using MonitorService.Tests.Infrastructure;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Digest;

/// <summary>
/// Who gets which weekly digest: each recipient their own message about the domains they receive alerts for, so no
/// one learns another recipient's address or a domain they were not given.
/// </summary>
[Collection(PostgresCollection.Name)]
public class DigestRecipientTests(PostgresFixture postgres)
{
    private const string Second = "second.example.test";
    private const string Third = "third.example.test";
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    /// <summary>ops@ receives alerts for example.test and third, lead@ for second and third.</summary>
    private static async Task<Guid> TeamWithThreeDomainsAsync(MailTestKit kit)
    {
        var h = kit.Harness;
        await h.CheckAsync(await h.AddDomainAsync());
        await h.Registry.AddAsync(Second, "ops", TimeSpan.FromHours(1), ["Lead@example.test"], CancellationToken.None);
        await h.Registry.AddAsync(Third, "ops", TimeSpan.FromHours(1), ["lead@example.test", "ops@example.test"], CancellationToken.None);
        await h.Registry.AddAsync("other-team.example.test", "sales", TimeSpan.FromHours(1), ["ops@example.test"], CancellationToken.None);
        await using var db = h.Db();
        return (await db.Teams.SingleAsync(t => t.Name == "ops")).Id;
    }

    private static async Task<IReadOnlyList<SmtpReceivedMessage>> DeliverAsync(MailTestKit kit)
    {
        var run = await kit.Delivery.DeliverAsync(true, CancellationToken.None);
        Assert.Equal(0, run.Retrying + run.Failed);
        return kit.Mail.Messages;
    }

    private static (MimeMessage Mail, string Text, string Html) Open(SmtpReceivedMessage received)
    {
        var mail = MailTestKit.Parse(received);
        return (mail, mail.TextBody!, mail.HtmlBody!);
    }

    /// <summary>The domains a digest has a section for, the same in its text and its HTML part.</summary>
    private static string[] DomainsIn(string text, string html)
    {
        var inText = System.Text.RegularExpressions.Regex.Matches(text, "^== (\\S+) —", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToArray();
        var inHtml = System.Text.RegularExpressions.Regex.Matches(html, "<b style=\"font-size:16px;\">([^<]+)</b>")
            .Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(inText, inHtml);
        return inText;
    }

    private static async Task<Dictionary<string, Guid>> DomainIdsAsync(MailTestKit kit, Guid teamId)
    {
        await using var db = kit.Harness.Db();
        return await db.Domains.Where(d => d.TeamId == teamId).ToDictionaryAsync(d => d.Name, d => d.Id);
    }

    [Fact]
    public async Task Each_recipient_gets_a_digest_of_their_own_domains_and_sees_no_other_recipient()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "digest_per_recipient");
        var teamId = await TeamWithThreeDomainsAsync(kit);

        await kit.Harness.Services.GetRequiredService<DigestService>().QueueWeeklyAsync(teamId, Monday, CancellationToken.None);
        var received = await DeliverAsync(kit);

        Assert.Equal(2, received.Count);
        var ops = Assert.Single(received, m => m.Recipients.SequenceEqual(["ops@example.test"]));
        var lead = Assert.Single(received, m => m.Recipients.SequenceEqual(["lead@example.test"], StringComparer.OrdinalIgnoreCase));
        foreach (var (message, mine, notMine, me, other) in new[]
                 {
                     (ops, new[] { Domain, Third }, Second, "ops@example.test", "lead@example.test"),
                     (lead, new[] { Second, Third }, Domain, "lead@example.test", "ops@example.test"),
                 })
        {
            var (mail, text, html) = Open(message);
            Assert.Equal([me], mail.To.Mailboxes.Select(m => m.Address.ToLowerInvariant()));
            Assert.Empty(mail.Cc);
            Assert.DoesNotContain(other, message.Data, StringComparison.OrdinalIgnoreCase); // not in any header or part
            Assert.StartsWith("[MonitorService] Weekly MTA-STS digest for ops: 2 domains", mail.Subject, StringComparison.Ordinal);
            Assert.Equal(mine, DomainsIn(text, html));
            var ids = await DomainIdsAsync(kit, teamId);
            foreach (var body in new[] { text, html })
            {
                Assert.Contains($"/domains/{ids[mine[0]]}", body, StringComparison.Ordinal); // links go to the domain's page
                Assert.DoesNotContain($"/domains/{ids[notMine]}", body, StringComparison.Ordinal); // no dashboard link either
                Assert.DoesNotContain("other-team.example.test", body, StringComparison.Ordinal);
            }
        }

        // Once per recipient per week, however often the schedule fires.
        await kit.Harness.Services.GetRequiredService<DigestService>().QueueWeeklyAsync(teamId, Monday.AddHours(30), CancellationToken.None);
        Assert.Equal(2, (await DeliverAsync(kit)).Count);
    }

    [Fact]
    public async Task Explicit_digest_recipients_each_get_the_whole_team_in_a_message_of_their_own()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "digest_explicit");
        var teamId = await TeamWithThreeDomainsAsync(kit);
        await using (var db = kit.Harness.Db())
        {
            var team = await db.Teams.SingleAsync(t => t.Id == teamId);
            team.DigestRecipients = ["cto@example.test", "noc@example.test"];
            await db.SaveChangesAsync();
        }

        await kit.Harness.Services.GetRequiredService<DigestService>().QueueWeeklyAsync(teamId, Monday, CancellationToken.None);
        var received = await DeliverAsync(kit);

        Assert.Equal(["cto@example.test", "noc@example.test"], received.Select(m => Assert.Single(m.Recipients)).Order(StringComparer.Ordinal));
        foreach (var message in received)
        {
            var (mail, text, html) = Open(message);
            Assert.Single(mail.To.Mailboxes);
            Assert.DoesNotContain(message.Recipients[0] == "cto@example.test" ? "noc@example.test" : "cto@example.test", message.Data, StringComparison.Ordinal);
            Assert.StartsWith("[MonitorService] Weekly MTA-STS digest for ops: 3 domains", mail.Subject, StringComparison.Ordinal);
            Assert.Equal([Domain, Second, Third], DomainsIn(text, html));
        }
    }
}
