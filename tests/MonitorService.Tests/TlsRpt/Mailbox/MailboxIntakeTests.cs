using MailKit;
using MonitorService.Testing.Imap;
using MonitorService.TlsRpt;
using MonitorService.TlsRpt.Mailbox;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace MonitorService.Tests.TlsRpt.Mailbox;

/// <summary>
/// The mailbox job against a real Dovecot and the real intake on PostgreSQL: what is stored, and where each message
/// ends up. Nothing is ever deleted, only moved.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class MailboxIntakeTests(ImapServerFixture imap, PostgresFixture postgres) : IClassFixture<ImapServerFixture>
{
    private const string Domain = "example.test";

    private TestImapServer Server => imap.Server;

    private Task<string> DatabaseAsync(string hint) => MailboxDatabase.CreateAsync(postgres, $"mailbox_{hint}", Domain);

    [Fact]
    public async Task A_report_is_handed_to_the_intake_and_moved_to_the_done_folder()
    {
        var cs = await DatabaseAsync("imported");
        using var node = MailboxTestHost.Create(Server, "imported", cs);
        var report = TlsRptMessages.Report(Domain, "report-1");
        await Server.AppendAsync(report, node.Folder);

        await node.RunJobAsync();

        Assert.Empty(await Server.ListAsync(node.Folder));
        var done = Assert.Single(await Server.ListAsync(node.DoneFolder));
        Assert.Equal(report.MessageId, done.MessageId);
        var call = Assert.Single(node.Intake.Calls);
        Assert.Equal(TlsRptIntakeOutcome.Stored, call.Result.Outcome);
        Assert.Equal(report.MessageId, call.Detail);
        Assert.Single(node.LogsWith($"Imported the TLS-RPT report in message {report.MessageId}"));
        Assert.Equal(1, node.PassesOk);
        var stored = Assert.Single(await MailboxDatabase.ReportsAsync(cs));
        Assert.Equal(("Sender Example Inc.", "report-1", "imap"), (stored.Organization, stored.ReportId, stored.Source));
        Assert.Contains(report.MessageId!, stored.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_report_mailed_twice_is_stored_once_and_both_messages_are_moved_to_done()
    {
        var cs = await DatabaseAsync("twice");
        using var node = MailboxTestHost.Create(Server, "twice", cs);
        await Server.AppendAsync(TlsRptMessages.Report(Domain, "report-twice"), node.Folder);
        await Server.AppendAsync(TlsRptMessages.Report(Domain, "report-twice"), node.Folder);

        await node.RunJobAsync();

        Assert.Empty(await Server.ListAsync(node.Folder));
        Assert.Equal(2, (await Server.ListAsync(node.DoneFolder)).Count);
        Assert.Equal([TlsRptIntakeOutcome.Stored, TlsRptIntakeOutcome.Duplicate], node.Intake.Calls.Select(c => c.Result.Outcome));
        Assert.Equal("report-twice", Assert.Single(await MailboxDatabase.ReportsAsync(cs)).ReportId);
    }

    [Fact]
    public async Task A_report_that_came_in_over_HTTPS_first_and_then_by_mail_is_stored_once()
    {
        var cs = await DatabaseAsync("httpsimap");
        using var node = MailboxTestHost.Create(Server, "httpsimap", cs);
        var https = await node.Services.GetRequiredService<ITlsRptIntake>().AcceptReportAsync(
            TlsRptMessages.GzippedReport(Domain, "report-both"), new TlsRptOrigin(TlsRptSources.Https, "127.0.0.1"), CancellationToken.None);
        Assert.Equal(TlsRptIntakeOutcome.Stored, https.Outcome);
        await Server.AppendAsync(TlsRptMessages.Report(Domain, "report-both"), node.Folder);

        await node.RunJobAsync();

        Assert.Equal(TlsRptIntakeOutcome.Duplicate, Assert.Single(node.Intake.Calls).Result.Outcome);
        Assert.Single(await Server.ListAsync(node.DoneFolder));
        var stored = Assert.Single(await MailboxDatabase.ReportsAsync(cs));
        Assert.Equal(("report-both", "https"), (stored.ReportId, stored.Source));
    }

    [Fact]
    public async Task A_report_about_a_domain_nobody_registered_is_not_stored_and_moved_to_done()
    {
        var cs = await DatabaseAsync("notours");
        using var node = MailboxTestHost.Create(Server, "notours", cs);
        await Server.AppendAsync(TlsRptMessages.Report("stranger.test", "report-stranger"), node.Folder);

        await node.RunJobAsync();

        Assert.Equal(TlsRptIntakeOutcome.NotOurs, Assert.Single(node.Intake.Calls).Result.Outcome);
        Assert.Single(await Server.ListAsync(node.DoneFolder));
        Assert.Empty(await Server.ListAsync(node.Folder));
        Assert.Empty(await MailboxDatabase.ReportsAsync(cs));
    }

    [Fact]
    public async Task An_unparseable_report_is_moved_to_the_invalid_folder_with_its_reason_logged()
    {
        var cs = await DatabaseAsync("unparseable");
        using var node = MailboxTestHost.Create(Server, "unparseable", cs);
        var broken = TlsRptMessages.Unparseable(Domain, "report-broken");
        await Server.AppendAsync(broken, node.Folder);

        await node.RunJobAsync();

        Assert.Empty(await Server.ListAsync(node.Folder));
        Assert.Empty(await Server.ListAsync(node.DoneFolder));
        Assert.Equal(broken.MessageId, Assert.Single(await Server.ListAsync(node.InvalidFolder)).MessageId);
        var reason = Assert.Single(node.Intake.Calls).Result.Reason;
        Assert.NotNull(reason);
        Assert.Empty(await MailboxDatabase.ReportsAsync(cs));
        var rejected = Assert.Single(await MailboxDatabase.RejectedAsync(cs));
        Assert.Equal(("imap", reason), (rejected.Source, rejected.Reason));
        Assert.Contains(broken.MessageId!, rejected.Detail, StringComparison.Ordinal);
        var logged = Assert.Single(node.LogsWith($"The TLS-RPT report in message {broken.MessageId} could not be read"));
        Assert.Contains(reason, logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_without_a_report_is_left_where_it_is_unread_and_logged_once_over_several_passes()
    {
        var cs = await DatabaseAsync("noreport");
        using var node = MailboxTestHost.Create(Server, "noreport", cs);
        var letter = TlsRptMessages.NotAReport("Question about your reports");
        await Server.AppendAsync(letter, node.Folder);

        await node.RunJobAsync();
        await node.RunJobAsync();
        await node.RunJobAsync();

        var left = Assert.Single(await Server.ListAsync(node.Folder));
        Assert.Equal(letter.MessageId, left.MessageId);
        Assert.False(left.Flags.HasFlag(MessageFlags.Seen), "the person who reads the mailbox still sees it as new");
        Assert.False(left.Flags.HasFlag(MessageFlags.Deleted));
        Assert.Contains(MailboxSkipMarks.Keyword, left.Keywords);
        Assert.Empty(await Server.ListAsync(node.DoneFolder));
        Assert.Single(node.Intake.Calls);
        Assert.Single(node.LogsWith($"Message {letter.MessageId} (Question about your reports) in {node.Folder} holds no TLS-RPT report"));
        Assert.Equal(3, node.PassesOk);
    }

    [Fact]
    public async Task A_report_with_a_10_MB_attachment_is_imported()
    {
        var cs = await DatabaseAsync("large");
        using var node = MailboxTestHost.Create(Server, "large", cs);
        var report = TlsRptMessages.Report(Domain, "report-large", extraAttachment: TlsRptMessages.RandomBytes(10 * 1024 * 1024));
        await Server.AppendAsync(report, node.Folder);

        await node.RunJobAsync();

        Assert.Equal(TlsRptIntakeOutcome.Stored, Assert.Single(node.Intake.Calls).Result.Outcome);
        Assert.Equal("report-large", Assert.Single(await MailboxDatabase.ReportsAsync(cs)).ReportId);
        var done = Assert.Single(await Server.ListAsync(node.DoneFolder));
        Assert.True(done.Size > 10 * 1024 * 1024, $"the message on the server is {done.Size} bytes");
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_never_fetched_and_stays_in_place_logged_once()
    {
        var cs = await DatabaseAsync("toolarge");
        using var node = MailboxTestHost.Create(Server, "toolarge", cs, s => s["TlsRpt:Imap:MaxMessageBytes"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var report = TlsRptMessages.Report(Domain, "report-too-large", extraAttachment: TlsRptMessages.RandomBytes(10 * 1024 * 1024));
        var small = TlsRptMessages.Report(Domain, "report-small");
        await Server.AppendAsync(report, node.Folder);
        await Server.AppendAsync(small, node.Folder);

        await node.RunJobAsync();
        await node.RunJobAsync();

        Assert.Equal(report.MessageId, Assert.Single(await Server.ListAsync(node.Folder)).MessageId);
        Assert.Equal(small.MessageId, Assert.Single(await Server.ListAsync(node.DoneFolder)).MessageId);
        Assert.Equal(small.MessageId, Assert.Single(node.Intake.Calls).Detail);
        Assert.Single(node.LogsWith($"Message {report.MessageId} in {node.Folder} is"));
        Assert.Contains("over TlsRpt:Imap:MaxMessageBytes (1048576)", node.LogsWith($"Message {report.MessageId}")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_most_the_configured_number_of_messages_is_read_per_pass_oldest_first()
    {
        var cs = await DatabaseAsync("perpass");
        using var node = MailboxTestHost.Create(Server, "perpass", cs, s => s["TlsRpt:Imap:MaxMessagesPerPass"] = "2");
        var reports = Enumerable.Range(1, 3).Select(i => TlsRptMessages.Report(Domain, $"report-batch-{i}")).ToList();
        foreach (var report in reports)
            await Server.AppendAsync(report, node.Folder);

        await node.RunJobAsync();

        Assert.Equal(reports.Take(2).Select(r => r.MessageId), node.Intake.Calls.Select(c => c.Detail));
        Assert.Equal(reports[2].MessageId, Assert.Single(await Server.ListAsync(node.Folder)).MessageId);

        await node.RunJobAsync();

        Assert.Empty(await Server.ListAsync(node.Folder));
        Assert.Equal(3, (await Server.ListAsync(node.DoneFolder)).Count);
        Assert.Equal(3, (await MailboxDatabase.ReportsAsync(cs)).Count);
    }

    [Fact]
    public async Task A_refused_login_is_logged_as_such_and_nothing_is_read()
    {
        var cs = await DatabaseAsync("badlogin");
        using var node = MailboxTestHost.Create(Server, "badlogin", cs, s => s["TlsRpt:Imap:Password"] = "not-the-password");
        await Server.AppendAsync(TlsRptMessages.Report(Domain, "report-login"), node.Folder);

        await node.RunJobAsync();

        Assert.Empty(node.Intake.Calls);
        Assert.Single(await Server.ListAsync(node.Folder));
        var error = Assert.Single(node.LogsWith("TLS-RPT mailbox not read"));
        Assert.True(error.StartsWith("Error", StringComparison.Ordinal), error);
        Assert.Contains($"refused the login of {Server.User}", error, StringComparison.Ordinal);
        Assert.Contains("Check TlsRpt:Imap:User and TlsRpt:Imap:Password", error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", string.Join("\n", node.Logs.Entries), StringComparison.Ordinal);
        Assert.Equal(1, node.PassesLoginRefused);
    }

    [Fact]
    public async Task In_IDLE_a_report_that_arrives_during_the_run_is_imported_in_the_same_run_and_the_run_ends_when_its_time_is_up()
    {
        var cs = await DatabaseAsync("idle");
        using var node = MailboxTestHost.Create(Server, "idle", cs, s =>
        {
            s["TlsRpt:Imap:Idle"] = "true";
            s["TlsRpt:Imap:IdleFor"] = "00:00:20";
        });
        var report = TlsRptMessages.Report(Domain, "report-idle");
        await Server.CreateFolderAsync(node.Folder);
        var run = node.RunJobAsync();
        // Appended once the first pass found nothing and the job is about to wait in IDLE.
        await WaitForAsync(() => node.LogsWith("Waiting in IDLE for new mail").Count > 0, TimeSpan.FromSeconds(30), node);
        await Server.AppendAsync(report, node.Folder);

        await WaitForAsync(() => node.Intake.Calls.Count > 0, TimeSpan.FromSeconds(15), node);
        Assert.False(run.IsCompleted, "the message was read by the waiting run, not by a new one");
        // The run still ends by itself within TlsRpt:Imap:IdleFor (generous bound: 20 s plus one pass).
        await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(report.MessageId, Assert.Single(node.Intake.Calls).Detail);
        Assert.Equal(report.MessageId, Assert.Single(await Server.ListAsync(node.DoneFolder)).MessageId);
    }

    [Fact]
    public async Task A_folder_that_does_not_exist_is_named_in_an_error_and_not_created()
    {
        var cs = await DatabaseAsync("missing");
        using var node = MailboxTestHost.Create(Server, "missing", cs);

        await node.RunJobAsync();

        var error = Assert.Single(node.LogsWith("TLS-RPT mailbox not read"));
        Assert.True(error.StartsWith("Error", StringComparison.Ordinal), error);
        Assert.Contains($"has no folder {node.Folder}. Check TlsRpt:Imap:Folder.", error, StringComparison.Ordinal);
        Assert.DoesNotContain(node.Folder, (await Server.ListFoldersAsync()));
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan limit, MailboxTestHost node)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Condition not met within {limit}. The node's log:\n{string.Join("\n", node.Logs.Entries)}");
            await Task.Delay(50);
        }
    }
}
