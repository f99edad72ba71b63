using MimeKit;

namespace MonitorService.Mail;

/// <summary>
/// Builds the MIME message the outbox stores: headers from trusted values only (the subject is sanitised by
/// <see cref="MailText.HeaderValue"/>), a text and an HTML part, and a Message-Id derived from the outbox id so
/// every attempt, on any node, sends the same message.
/// </summary>
public static class MailMessageFactory
{
    public const string MessageIdDomain = "monitorservice.invalid";

    public static string MessageIdFor(Guid outboxId) => $"{outboxId:N}@{MessageIdDomain}";

    public static MimeMessage Create(Guid outboxId, string from, IEnumerable<string> recipients, string subject, string text, string html, DateTimeOffset date)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        foreach (var recipient in recipients)
            message.To.Add(MailboxAddress.Parse(recipient));
        message.Subject = MailText.HeaderValue(subject);
        message.MessageId = MessageIdFor(outboxId);
        message.Date = date;
        // RFC 3834: machine-generated; out-of-office responders should stay quiet.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Headers.Add("X-Auto-Response-Suppress", "All");
        var body = new BodyBuilder { TextBody = text, HtmlBody = html };
        message.Body = body.ToMessageBody();
        // 7-bit with lines of at most 78 characters: non-ASCII and long policy lines become quoted-printable or base64,
        // so the stored text is exactly what goes on the wire and no body line can be mistaken for anything else.
        message.Prepare(EncodingConstraint.SevenBit, 78);
        return message;
    }

    public static string ToText(MimeMessage message)
    {
        using var stream = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(options, stream);
        return System.Text.Encoding.ASCII.GetString(stream.ToArray());
    }

    public static MimeMessage FromText(string mime)
    {
        using var stream = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(mime));
        return MimeMessage.Load(stream);
    }
}
