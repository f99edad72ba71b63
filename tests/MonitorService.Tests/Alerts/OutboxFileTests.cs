using Microsoft.Extensions.Options;
using MimeKit;
using MonitorService.Mail;

namespace MonitorService.Tests.Alerts;

/// <summary>
/// The .eml outbox on a shared machine: alert mail names a team's domains and problems, so other local users must not
/// read it, and a symbolic link another user plants must not make the service write somewhere else.
/// </summary>
public sealed class OutboxFileTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("monitor-outbox-files-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static FileMailTransport Transport(string folder) => new(Options.Create(new SmtpOptions { OutboxDirectory = folder }));

    private static (MimeMessage Message, string FileName) Message()
    {
        var id = Guid.NewGuid();
        var date = new DateTimeOffset(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);
        var message = MailMessageFactory.Create(id, "monitor@example.test", ["ops@example.test"], "subject", "text", "<p>html</p>", date);
        return (message, $"20260302T080000-{id:N}.eml");
    }

    [Fact]
    public async Task The_outbox_folder_is_private_to_the_service_and_so_is_every_mail_in_it()
    {
        var folder = Path.Combine(_root, "data", "outbox");
        var (message, name) = Message();

        var written = await Transport(folder).SendAsync(message, ["ops@example.test"], CancellationToken.None);

        Assert.Equal(Path.Combine(folder, name), written.Reply);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(written.Reply));
        Assert.Equal("subject", (await MimeMessage.LoadAsync(written.Reply)).Subject);
    }

    [Fact]
    public async Task A_folder_left_readable_by_others_is_made_private()
    {
        var folder = Path.Combine(_root, "outbox");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101); // 0755, as an earlier version created it

        await Transport(folder).SendAsync(Message().Message, ["ops@example.test"], CancellationToken.None);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
    }

    [Fact]
    public async Task Symbolic_links_planted_at_the_file_names_are_not_followed()
    {
        var folder = Path.Combine(_root, "outbox");
        Directory.CreateDirectory(folder);
        var (message, name) = Message();
        var path = Path.Combine(folder, name);
        // Another user's links where the service writes: the temporary file of earlier versions and the final name.
        var victims = new[] { Path.Combine(_root, "victim-temporary"), Path.Combine(_root, "victim-final") };
        foreach (var victim in victims)
            await File.WriteAllTextAsync(victim, "precious");
        File.CreateSymbolicLink(path + ".tmp", victims[0]);
        File.CreateSymbolicLink(path, victims[1]);

        var written = await Transport(folder).SendAsync(message, ["ops@example.test"], CancellationToken.None);

        Assert.All(victims, victim => Assert.Equal("precious", File.ReadAllText(victim)));
        Assert.Equal(path, written.Reply);
        Assert.Null(new FileInfo(path).LinkTarget); // a file of its own now, not the link
        Assert.Equal("subject", (await MimeMessage.LoadAsync(path)).Subject);
    }

    [Fact]
    public async Task An_outbox_folder_that_is_a_symbolic_link_is_refused()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_root, "elsewhere")).FullName;
        var folder = Path.Combine(_root, "outbox");
        Directory.CreateSymbolicLink(folder, elsewhere);

        var refused = await Assert.ThrowsAsync<MailDeliveryException>(() =>
            Transport(folder).SendAsync(Message().Message, ["ops@example.test"], CancellationToken.None));

        Assert.Equal(DeliveryFailureKind.Unreachable, refused.Kind);
        Assert.Contains("symbolic link", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(elsewhere));
    }
}
