using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MonitorService.Storage;
using MonitorService.Storage.Entities;
using MonitorService.TlsRpt;
using MonitorService.TlsRpt.Views;
using MonitorService.Tests.Infrastructure;
using static MonitorService.Tests.TlsRpt.TlsRptFixtures;

namespace MonitorService.Tests.TlsRpt;

/// <summary>
/// Anyone can register any name, so reports (a partner's whole sending infrastructure) must reach only the team the
/// domain's owner sends them to: its own address. The intake on a real PostgreSQL, read back as each team's page reads.
/// </summary>
[Collection(PostgresCollection.Name)]
public class TlsRptTeamAddressTests(PostgresFixture postgres)
{
    private const string Domain = "example.test";
    private static readonly TlsRptRange Day = new(new DateOnly(2026, 11, 28), new DateOnly(2026, 11, 28));

    [Fact]
    public async Task A_second_team_registering_the_name_sees_none_of_the_owner_s_reports()
    {
        await using var kit = await TlsRptIntakeKit.StartAsync(postgres, "tlsrpt_teams", null, Domain, "only-ops.test");
        await TlsRptIntakeKit.RegisterAsync(kit.ConnectionString, "rival", Domain);
        var (ops, opsKey) = await RegistrationAsync(kit, "ops", Domain);
        var (rival, rivalKey) = await RegistrationAsync(kit, "rival", Domain);
        Assert.NotEqual(opsKey, rivalKey);

        // At the shared address, with two registrations: shown to neither.
        Assert.Equal(TlsRptIntakeOutcome.Stored, (await kit.Intake.AcceptReportAsync(Utf8(Report("Sender A", "shared-1", Domain)), TlsRptIntakeKit.Https, default)).Outcome);
        Assert.Equal(0, await ReportsSeenAsync(kit, ops));
        Assert.Equal(0, await ReportsSeenAsync(kit, rival));

        // At the owner's address: the owner sees it, the rival does not.
        var owned = await kit.Intake.AcceptReportAsync(Utf8(Report("Sender A", "ops-1", Domain, failed: 4)), Keyed(opsKey), default);
        Assert.Equal(TlsRptIntakeOutcome.Stored, owned.Outcome);
        Assert.Equal(1, await ReportsSeenAsync(kit, ops));
        Assert.Equal(0, await ReportsSeenAsync(kit, rival));
        Assert.Empty((await Queries(kit).SummaryAsync(rival, Day, default)).Failures);
        // The rule holds on every read the page makes (the SQL ones too), not only the summary.
        Assert.Single(await Queries(kit).SenderPoliciesAsync(ops, Day, default));
        Assert.Empty(await Queries(kit).SenderPoliciesAsync(rival, Day, default));

        // The same report at a second team's address (a domain may publish both; this one copied in upper case):
        // stored once, shown to both.
        Assert.Equal(TlsRptIntakeOutcome.Duplicate, (await kit.Intake.AcceptReportAsync(Gzip(Report("Sender A", "ops-1", Domain, failed: 4)), Keyed(rivalKey.ToUpperInvariant()), default)).Outcome);
        Assert.Equal(1, await ReportsSeenAsync(kit, rival));
        await using (var db = kit.Db())
            Assert.Equal(1, await db.TlsRptReports.CountAsync(r => r.ReportId == "ops-1"));

        // Once the name is registered by one team again, the shared address's report shows there.
        await using (var db = kit.Db())
            await db.Domains.Where(d => d.Id == rival.Id).ExecuteDeleteAsync();
        Assert.Equal(2, await ReportsSeenAsync(kit, ops));
    }

    [Fact]
    public async Task A_team_address_takes_only_that_team_s_domains_and_an_unknown_one_nothing()
    {
        await using var kit = await TlsRptIntakeKit.StartAsync(postgres, "tlsrpt_teamkeys", null, Domain);
        await TlsRptIntakeKit.RegisterAsync(kit.ConnectionString, "rival", "rival.test");
        var (_, rivalKey) = await RegistrationAsync(kit, "rival", "rival.test");

        var elsewhere = await kit.Intake.AcceptReportAsync(Utf8(Report("Sender A", "x-1", Domain)), Keyed(rivalKey), default);
        Assert.Equal(TlsRptIntakeOutcome.NotOurs, elsewhere.Outcome);
        Assert.Contains("team whose report address received it", elsewhere.Reason, StringComparison.Ordinal);

        var unknown = await kit.Intake.AcceptReportAsync(Utf8(Report("Sender A", "x-2", Domain)), Keyed(TlsRptKeys.New()), default);
        Assert.Equal(TlsRptIntakeOutcome.UnknownAddress, unknown.Outcome);
        Assert.Equal(TlsRptIntakeOutcome.UnknownAddress, (await kit.Intake.AcceptReportAsync(Utf8(Report("Sender A", "x-3", Domain)), Keyed("../../etc"), default)).Outcome);
        await using var db = kit.Db();
        Assert.Equal(0, await db.TlsRptReports.CountAsync());
        Assert.Equal(0, await db.TlsRptRejected.CountAsync());
    }

    [Fact]
    public async Task A_message_to_a_team_s_sub_address_is_that_team_s()
    {
        await using var kit = await TlsRptIntakeKit.StartAsync(postgres, "tlsrpt_teammail", null, Domain);
        await TlsRptIntakeKit.RegisterAsync(kit.ConnectionString, "rival", Domain);
        var (ops, opsKey) = await RegistrationAsync(kit, "ops", Domain);
        var (rival, _) = await RegistrationAsync(kit, "rival", Domain);

        var message = Message(Report("Mail Sender", "m-1", Domain), $"tlsrpt+{opsKey}@monitor.example");
        Assert.Equal(TlsRptIntakeOutcome.Stored, (await kit.Intake.AcceptMessageAsync(message, new TlsRptOrigin(TlsRptSources.Mailbox, "<m-1>"), default)).Outcome);
        // Only the envelope header names the team (a sender that put the bare address in To:).
        var envelope = Message(Report("Mail Sender", "m-2", Domain), "tlsrpt@monitor.example");
        envelope.Headers.Add("Delivered-To", $"tlsrpt+{opsKey.ToUpperInvariant()}@monitor.example");
        Assert.Equal(TlsRptIntakeOutcome.Stored, (await kit.Intake.AcceptMessageAsync(envelope, new TlsRptOrigin(TlsRptSources.Mailbox, "<m-2>"), default)).Outcome);
        // To the bare shared address: the shared rule (two registrations: neither sees it).
        Assert.Equal(TlsRptIntakeOutcome.Stored, (await kit.Intake.AcceptMessageAsync(Message(Report("Mail Sender", "m-3", Domain), "tlsrpt@monitor.example"),
            new TlsRptOrigin(TlsRptSources.Mailbox, "<m-3>"), default)).Outcome);

        Assert.Equal(2, await ReportsSeenAsync(kit, ops));
        Assert.Equal(0, await ReportsSeenAsync(kit, rival));
    }

    [Fact]
    public async Task A_forged_report_posted_first_does_not_take_the_real_one_s_place()
    {
        await using var kit = await TlsRptIntakeKit.StartAsync(postgres, "tlsrpt_forged", null, Domain);
        await TlsRptIntakeKit.RegisterAsync(kit.ConnectionString, "rival", Domain);
        var (ops, opsKey) = await RegistrationAsync(kit, "ops", Domain);
        // Report-ids are often predictable (a date and the domain): anyone can post one first, to the shared address.
        const string Id = "2026-11-28T00:00:00Z_example.test";
        Assert.Equal(TlsRptIntakeOutcome.Stored, (await kit.Intake.AcceptReportAsync(Utf8(Report("Google Inc.", Id, Domain, successful: 1, failed: 999)), TlsRptIntakeKit.Https, default)).Outcome);

        var real = await kit.Intake.AcceptReportAsync(Gzip(Report("Google Inc.", Id, Domain, successful: 500)), Keyed(opsKey), default);
        Assert.Equal(TlsRptIntakeOutcome.Stored, real.Outcome);
        Assert.Contains("other content", real.Reason, StringComparison.Ordinal);
        var seen = await Queries(kit).SummaryAsync(ops, Day, default);
        Assert.Equal((1, 500L, 0L), (seen.Reports, seen.Days.Single().Successful, seen.Days.Single().Failed));
        // The real report again (another intake, another compression): the same content, a duplicate.
        Assert.Equal(TlsRptIntakeOutcome.Duplicate, (await kit.Intake.AcceptReportAsync(Utf8(Report("Google Inc.", Id, Domain, successful: 500)), Keyed(opsKey), default)).Outcome);
    }

    private static TlsRptOrigin Keyed(string key) => new(TlsRptSources.Https, "127.0.0.1", key);

    private static TlsRptQueries Queries(TlsRptIntakeKit kit) => new(kit.Services.GetRequiredService<IDbContextFactory<MonitorDbContext>>());

    private static async Task<int> ReportsSeenAsync(TlsRptIntakeKit kit, MonitoredDomain registration) =>
        (await Queries(kit).SummaryAsync(registration, Day, default)).Reports;

    private static async Task<(MonitoredDomain Registration, string TeamKey)> RegistrationAsync(TlsRptIntakeKit kit, string team, string domain)
    {
        await using var db = kit.Db();
        var registration = await db.Domains.AsNoTracking().Include(d => d.Team).SingleAsync(d => d.Name == domain && d.Team!.Name == team);
        return (registration, registration.Team!.TlsRptKey);
    }

    private static MimeMessage Message(string json, string to)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Reports", "noreply-smtp-tls-reporting@sender.example"));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = "Report Domain: example.test";
        message.MessageId = $"{Guid.NewGuid():N}@sender.example";
        message.Body = new MimePart("application", "tlsrpt+gzip")
        {
            Content = new MimeContent(new MemoryStream(Gzip(json))),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = "sender.example!example.test!1764288000!1764374399!m.json.gz",
        };
        return message;
    }
}
