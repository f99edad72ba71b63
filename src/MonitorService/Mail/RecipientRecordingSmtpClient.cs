using MailKit.Net.Smtp;
using MimeKit;
using MonitorService.Checks.Smtp;

namespace MonitorService.Mail;

/// <summary>
/// MailKit's client (offline chain building, see <see cref="OfflineSmtpClient"/>), except that a refused
/// <c>RCPT TO</c> is recorded instead of thrown: MailKit would abandon the
/// whole message at the first refused recipient, so one stale address would cost every other recipient the alert.
/// The message goes to whoever the server accepts; only when it accepts nobody does the send fail.
/// </summary>
internal sealed class RecipientRecordingSmtpClient : OfflineSmtpClient
{
    private readonly List<RefusedRecipient> _refused = [];

    /// <summary>The recipients refused during the last send, in envelope order.</summary>
    public IReadOnlyList<RefusedRecipient> Refused => _refused;

    /// <summary>Thrown from inside MailKit's send when every recipient was refused; <see cref="Refused"/> says how.</summary>
    public sealed class NoRecipientAcceptedException() : Exception("The server accepted none of the recipients.");

    protected override void OnSenderAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        // MAIL FROM starts a new transaction: forget the refusals of an earlier one.
        _refused.Clear();
        base.OnSenderAccepted(message, mailbox, response);
    }

    protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response) =>
        _refused.Add(new RefusedRecipient(mailbox.Address, (int)response.StatusCode, response.Response));

    // Documented as the place to throw once OnRecipientNotAccepted no longer does.
    protected override void OnNoRecipientsAccepted(MimeMessage message) => throw new NoRecipientAcceptedException();
}
