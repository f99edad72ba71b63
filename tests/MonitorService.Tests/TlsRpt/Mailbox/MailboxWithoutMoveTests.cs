using MailKit;
using MonitorService.Testing.Imap;
using MonitorService.Tests.Infrastructure;
using MonitorService.TlsRpt;

namespace MonitorService.Tests.TlsRpt.Mailbox;

/// <summary>
/// A server that does not offer MOVE (Dovecot told to announce capabilities without it): the message is copied and only
/// flagged \Deleted where it was, never expunged, and later passes leave it alone.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class MailboxWithoutMoveTests(PostgresFixture postgres)
{
    private const string WithoutMove = "IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ NAMESPACE UIDPLUS CHILDREN LIST-EXTENDED";

    [Fact]
    public async Task Without_MOVE_a_handled_message_is_copied_and_flagged_deleted_never_expunged()
    {
        await using var server = await TestImapServer.StartAsync(capabilities: WithoutMove);
        var cs = await MailboxDatabase.CreateAsync(postgres, "mailbox_nomove", "example.test");
        using var node = MailboxTestHost.Create(server, "nomove", cs);
        var report = TlsRptMessages.Report("example.test", "report-nomove");
        await server.AppendAsync(report, node.Folder);

        await node.RunJobAsync();
        await node.RunJobAsync();

        Assert.Equal(report.MessageId, Assert.Single(await server.ListAsync(node.DoneFolder)).MessageId);
        var original = Assert.Single(await server.ListAsync(node.Folder));
        Assert.Equal(report.MessageId, original.MessageId);
        Assert.True(original.Flags.HasFlag(MessageFlags.Deleted));
        Assert.Equal(TlsRptIntakeOutcome.Stored, Assert.Single(node.Intake.Calls).Result.Outcome);
        Assert.Single(await MailboxDatabase.ReportsAsync(cs));
    }
}
