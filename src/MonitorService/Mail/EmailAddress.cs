using MimeKit;

namespace MonitorService.Mail;

/// <summary>
/// The one rule for e-mail addresses people type (recipients, the sender): a mailbox MimeKit can parse, with a local
/// part before the '@', and no control characters, which could otherwise end up in a mail header.
/// </summary>
public static class EmailAddress
{
    /// <summary>The bare address (<c>ops@example.com</c>) of <paramref name="text"/>, which may carry a display name.</summary>
    public static bool TryParse(string text, out string address)
    {
        address = "";
        if (text.Any(char.IsControl) || !MailboxAddress.TryParse(text, out var mailbox) || mailbox.Address.IndexOf('@', StringComparison.Ordinal) <= 0)
            return false;
        address = mailbox.Address;
        return true;
    }
}
