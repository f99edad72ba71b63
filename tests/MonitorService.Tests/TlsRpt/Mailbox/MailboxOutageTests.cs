using System.Net;
using System.Net.Sockets;
using MonitorService.Testing.Imap;
using MonitorService.Tests.Infrastructure;

namespace MonitorService.Tests.TlsRpt.Mailbox;

/// <summary>The mailbox server down or silent: a clear log line, no crash, and the next pass reads as usual.</summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class MailboxOutageTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_server_that_is_down_is_logged_clearly_and_the_next_pass_after_it_is_back_imports()
    {
        await using var server = await TestImapServer.StartAsync();
        var cs = await MailboxDatabase.CreateAsync(postgres, "mailbox_outage", "example.test");
        using var node = MailboxTestHost.Create(server, "outage", cs);
        var report = TlsRptMessages.Report("example.test", "report-outage");
        await server.AppendAsync(report, node.Folder);
        await server.StopAsync();

        await node.RunJobAsync();

        Assert.Empty(node.Intake.Calls);
        var warning = Assert.Single(node.LogsWith("TLS-RPT mailbox not read"));
        Assert.StartsWith("Warning", warning, StringComparison.Ordinal);
        Assert.Contains($"Cannot reach imap://127.0.0.1:{server.Port}", warning, StringComparison.Ordinal);
        Assert.Contains("Retried at the next pass", warning, StringComparison.Ordinal);
        Assert.Equal(1, node.PassesUnreachable);

        await server.StartAsync();
        await node.RunJobAsync();

        Assert.Equal(report.MessageId, Assert.Single(node.Intake.Calls).Detail);
        Assert.Equal(report.MessageId, Assert.Single(await server.ListAsync(node.DoneFolder)).MessageId);
        Assert.Equal(1, node.PassesOk);
        Assert.Equal("report-outage", Assert.Single(await MailboxDatabase.ReportsAsync(cs)).ReportId);
    }

    [Fact]
    public async Task A_server_that_accepts_but_never_answers_ends_the_run_within_the_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var accepted = new List<TcpClient>();
        var accepting = Task.Run(async () =>
        {
            while (true)
                accepted.Add(await silent.AcceptTcpClientAsync());
        });
        await using var server = await TestImapServer.StartAsync();
        var cs = await MailboxDatabase.CreateAsync(postgres, "mailbox_silent", "example.test");
        using var node = MailboxTestHost.Create(server, "silent", cs, s =>
        {
            s["TlsRpt:Imap:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            s["TlsRpt:Imap:Timeout"] = "00:00:02";
        });

        // Generous bound: the 2-second limit, not the test's patience, ends the run.
        await node.RunJobAsync().WaitAsync(TimeSpan.FromSeconds(30));

        var warning = Assert.Single(node.LogsWith("TLS-RPT mailbox not read"));
        Assert.Contains($"Cannot reach imap://127.0.0.1:{port}", warning, StringComparison.Ordinal);
        Assert.Equal(1, node.PassesUnreachable);
        silent.Stop();
        foreach (var client in accepted)
            client.Dispose();
    }
}
