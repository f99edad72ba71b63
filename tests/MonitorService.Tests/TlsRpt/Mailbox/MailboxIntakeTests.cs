using MailKit;
using MonitorService.Testing.Imap;
using MonitorService.TlsRpt;
using MonitorService.TlsRpt.Mailbox;

namespace MonitorService.Tests.TlsRpt.Mailbox;

/// <summary>
/// The mailbox job against a real Dovecot: what it hands to the intake, and where each message ends up. The intake
/// here is <see cref="TestOnlyTlsRptIntake"/>; nothing is ever deleted, only moved.
/// </summary>
public sealed class MailboxIntakeTests(ImapServerFixture imap) : IClassFixture<ImapServerFixture>
{
    private TestImapServer Server => imap.Server;

    [Fact]
    public async Task A_report_is_handed_to_the_intake_and_moved_to_the_done_folder()
    {
        var intake = new TestOnlyTlsRptIntake();
        using var node = MailboxTestHost.Create(Server, "imported", intake);
        var report = TlsRptMessages.Report("example.test", "report-1");
        await Server.AppendAsync(report, node.Folder);

        await node.RunJobAsync();

        Assert.Empty(await Server.ListAsync(node.Folder));
        var done = Assert.Single(await Server.ListAsync(node.DoneFolder));
        Assert.Equal(report.MessageId, done.MessageId);
        var call = Assert.Single(intake.Calls);
        Assert.Equal(TlsRptIntakeOutcome.Stored, call.Result.Outcome);
        Assert.Equal(report.MessageId, call.Detail);
        Assert.Single(node.LogsWith($"Imported the TLS-RPT report in message {report.MessageId}"));
        Assert.Equal(1, node.PassesOk);
    }

    [Fact]
    public async Task The_same_report_mailed_twice_is_stored_once_and_both_messages_are_moved_to_done()
    {
        var intake = new TestOnlyTlsRptIntake();
        using var node = MailboxTestHost.Create(Server, "twice", intake);
        await Server.AppendAsync(TlsRptMessages.Report("example.test", "report-twice"), node.Folder);
        await Server.AppendAsync(TlsRptMessages.Report("example.test", "report-twice"), node.Folder);

        await node.RunJobAsync();

        Assert.Empty(await Server.ListAsync(node.Folder));
        Assert.Equal(2, (await Server.ListAsync(node.DoneFolder)).Count);
        Assert.Equal([TlsRptIntakeOutcome.Stored, TlsRptIntakeOutcome.Duplicate], intake.Calls.Select(c => c.Result.Outcome));
        Assert.Equal(1, intake.StoredCount);
    }

    [Fact]
    public async Task An_unparseable_report_is_moved_to_the_invalid_folder_with_its_reason_logged()
    {
        var intake = new TestOnlyTlsRptIntake();
        using var node = MailboxTestHost.Create(Server, "unparseable", intake);
        var broken = TlsRptMessages.Unparseable("example.test", "report-broken");
        await Server.AppendAsync(broken, node.Folder);

        await node.RunJobAsync();

        Assert.Empty(await Server.ListAsync(node.Folder));
        Assert.Empty(await Server.ListAsync(node.DoneFolder));
        Assert.Equal(broken.MessageId, Assert.Single(await Server.ListAsync(node.InvalidFolder)).MessageId);
        var reason = Assert.Single(intake.Calls).Result.Reason;
        Assert.NotNull(reason);
        var logged = Assert.Single(node.LogsWith($"The TLS-RPT report in message {broken.MessageId} could not be read"));
        Assert.Contains(reason, logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_without_a_report_is_left_where_it_is_unread_and_logged_once_over_several_passes()
    {
        var intake = new TestOnlyTlsRptIntake();
        using var node = MailboxTestHost.Create(Server, "noreport", intake);
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
        Assert.Single(intake.Calls);
        Assert.Single(node.LogsWith($"Message {letter.MessageId} (Question about your reports) in {node.Folder} holds no TLS-RPT report"));
        Assert.Equal(3, node.PassesOk);
    }

    [Fact]
    public async Task A_report_with_a_10_MB_attachment_is_imported()
    {
        var intake = new TestOnlyTlsRptIntake();
        using var node = MailboxTestHost.Create(Server, "large", intake);
        var report = TlsRptMessages.Report("example.test", "report-large", extraAttachment: TlsRptMessages.RandomBytes(10 * 1024 * 1024));
        await Server.AppendAsync(report, node.Folder);

        await node.RunJobAsync();

        Assert.Equal(TlsRptIntakeOutcome.Stored, Assert.Single(intake.Calls).Result.Outcome);
        var done = Assert.Single(await Server.ListAsync(node.DoneFolder));
        Assert.True(done.Size > 10 * 1024 * 1024, $"the message on the server is {done.Size} bytes");
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_never_fetched_and_stays_in_place_logged_once()
    {
        var intake = new TestOnlyTlsRptIntake();
        using var node = MailboxTestHost.Create(Server, "toolarge", intake, s => s["TlsRpt:Imap:MaxMessageBytes"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var report = TlsRptMessages.Report("example.test", "report-too-large", extraAttachment: TlsRptMessages.RandomBytes(10 * 1024 * 1024));
        var small = TlsRptMessages.Report("example.test", "report-small");
        await Server.AppendAsync(report, node.Folder);
        await Server.AppendAsync(small, node.Folder);

        await node.RunJobAsync();
        await node.RunJobAsync();

        Assert.Equal(report.MessageId, Assert.Single(await Server.ListAsync(node.Folder)).MessageId);
        Assert.Equal(small.MessageId, Assert.Single(await Server.ListAsync(node.DoneFolder)).MessageId);
        Assert.Equal(small.MessageId, Assert.Single(intake.Calls).Detail);
        Assert.Single(node.LogsWith($"Message {report.MessageId} in {node.Folder} is"));
        Assert.Contains("over TlsRpt:Imap:MaxMessageBytes (1048576)", node.LogsWith($"Message {report.MessageId}")[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task At_most_the_configured_number_of_messages_is_read_per_pass_oldest_first()
    {
        var intake = new TestOnlyTlsRptIntake();
        using var node = MailboxTestHost.Create(Server, "perpass", intake, s => s["TlsRpt:Imap:MaxMessagesPerPass"] = "2");
        var reports = Enumerable.Range(1, 3).Select(i => TlsRptMessages.Report("example.test", $"report-batch-{i}")).ToList();
        foreach (var report in reports)
            await Server.AppendAsync(report, node.Folder);

        await node.RunJobAsync();

        Assert.Equal(reports.Take(2).Select(r => r.MessageId), intake.Calls.Select(c => c.Detail));
        Assert.Equal(reports[2].MessageId, Assert.Single(await Server.ListAsync(node.Folder)).MessageId);

        await node.RunJobAsync();

        Assert.Empty(await Server.ListAsync(node.Folder));
        Assert.Equal(3, (await Server.ListAsync(node.DoneFolder)).Count);
    }

    [Fact]
    public async Task A_refused_login_is_logged_as_such_and_nothing_is_read()
    {
        var intake = new TestOnlyTlsRptIntake();
        using var node = MailboxTestHost.Create(Server, "badlogin", intake, s => s["TlsRpt:Imap:Password"] = "not-the-password");
        await Server.AppendAsync(TlsRptMessages.Report("example.test", "report-login"), node.Folder);

        await node.RunJobAsync();

        Assert.Empty(intake.Calls);
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
        var intake = new TestOnlyTlsRptIntake();
        using var node = MailboxTestHost.Create(Server, "idle", intake, s =>
        {
            s["TlsRpt:Imap:Idle"] = "true";
            s["TlsRpt:Imap:IdleFor"] = "00:00:20";
        });
        var report = TlsRptMessages.Report("example.test", "report-idle");
        await Server.CreateFolderAsync(node.Folder);
        var run = node.RunJobAsync();
        // Appended once the first pass found nothing and the job is about to wait in IDLE.
        await WaitForAsync(() => node.LogsWith("Waiting in IDLE for new mail").Count > 0, TimeSpan.FromSeconds(30), node);
        await Server.AppendAsync(report, node.Folder);

        await WaitForAsync(() => intake.Calls.Count > 0, TimeSpan.FromSeconds(15), node);
        Assert.False(run.IsCompleted, "the message was read by the waiting run, not by a new one");
        // The run still ends by itself within TlsRpt:Imap:IdleFor (generous bound: 20 s plus one pass).
        await run.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(report.MessageId, Assert.Single(intake.Calls).Detail);
        Assert.Equal(report.MessageId, Assert.Single(await Server.ListAsync(node.DoneFolder)).MessageId);
    }

    [Fact]
    public async Task A_folder_that_does_not_exist_is_named_in_an_error_and_not_created()
    {
        var intake = new TestOnlyTlsRptIntake();
        using var node = MailboxTestHost.Create(Server, "missing", intake);

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
