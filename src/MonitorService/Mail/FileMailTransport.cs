using Microsoft.Extensions.Options;
using MimeKit;

namespace MonitorService.Mail;

/// <summary>
/// The embedded default when no SMTP host is configured: each message becomes an .eml file (openable in any mail
/// client). The file name comes from the Message-Id, so delivering the same message again rewrites the same file.
/// Alert mail describes a team's domains and their weaknesses, and the machine may have other users: the folder is
/// the service user's alone (0700) and so is every file (0600), and no symbolic link someone planted is followed.
/// </summary>
public sealed class FileMailTransport(IOptions<SmtpOptions> options) : IMailTransport
{
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public string Destination => Path.GetFullPath(options.Value.OutboxDirectory);

    /// <remarks>A file holds the message only: <paramref name="recipients"/> (the envelope) is not written.</remarks>
    public async Task<MailSent> SendAsync(MimeMessage message, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        try
        {
            PrepareFolder();
            var name = $"{message.Date.UtcDateTime:yyyyMMdd'T'HHmmss}-{FileSafe(message.MessageId ?? Guid.NewGuid().ToString("N"))}.eml";
            var path = Path.Combine(Destination, name);
            // A fresh, unguessable temporary name created with O_CREAT|O_EXCL (CreateNew): whatever exists at that path,
            // a symbolic link included, makes the open fail instead of being followed. The rename then replaces a link
            // at the final name rather than writing through it.
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            try
            {
                await using (var stream = new FileStream(temporary, NewPrivateFile()))
                    await message.WriteToAsync(stream, cancellationToken);
                File.Move(temporary, path, overwrite: true);
            }
            finally
            {
                File.Delete(temporary); // gone already after the rename; left over when writing failed
            }
            return new MailSent(path, []);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MailDeliveryException(DeliveryFailureKind.Unreachable, $"Cannot write to {Destination}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Creates the folder (and missing parents) as 0700; refuses one that is a symbolic link, which would send the mail
    /// wherever its owner chose; makes an existing one private (earlier versions created it 0755).
    /// </summary>
    private void PrepareFolder()
    {
        var folder = new DirectoryInfo(Destination);
        if (folder.LinkTarget is not null)
            throw new IOException($"{Destination} is a symbolic link (to {folder.LinkTarget}); the outbox must be a real folder.");
        if (OperatingSystem.IsWindows())
        {
            folder.Create();
            return;
        }
        if (!folder.Exists)
            Directory.CreateDirectory(Destination, PrivateFolder);
        else if ((folder.UnixFileMode & ~PrivateFolder) != 0)
            folder.UnixFileMode = PrivateFolder;
    }

    private static FileStreamOptions NewPrivateFile()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = PrivateFile;
        return options;
    }

    private static string FileSafe(string messageId) =>
        new(messageId.Split('@')[0].Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
}
