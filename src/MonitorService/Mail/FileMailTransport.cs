using Microsoft.Extensions.Options;
using MimeKit;

namespace MonitorService.Mail;

/// <summary>
/// The embedded default when no SMTP host is configured: each message becomes an .eml file (openable in any mail
/// client). The file name comes from the Message-Id, so delivering the same message again rewrites the same file.
/// </summary>
public sealed class FileMailTransport(IOptions<SmtpOptions> options) : IMailTransport
{
    public string Destination => Path.GetFullPath(options.Value.OutboxDirectory);

    /// <remarks>A file holds the message only: <paramref name="recipients"/> (the envelope) is not written.</remarks>
    public async Task<MailSent> SendAsync(MimeMessage message, IReadOnlyList<string> recipients, CancellationToken cancellationToken)
    {
        try
        {
            Directory.CreateDirectory(Destination);
            var name = $"{message.Date.UtcDateTime:yyyyMMdd'T'HHmmss}-{FileSafe(message.MessageId ?? Guid.NewGuid().ToString("N"))}.eml";
            var path = Path.Combine(Destination, name);
            var temporary = path + ".tmp";
            await using (var stream = File.Create(temporary))
                await message.WriteToAsync(stream, cancellationToken);
            File.Move(temporary, path, overwrite: true);
            return new MailSent(path, []);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MailDeliveryException(DeliveryFailureKind.Unreachable, $"Cannot write to {Destination}: {e.Message}", e);
        }
    }

    private static string FileSafe(string messageId) =>
        new(messageId.Split('@')[0].Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
}
