namespace MonitorService.Mail;

/// <summary>A message the mail system took for at least one recipient.</summary>
/// <param name="Reply">What the other side said: the server's reply to the message, the file written.</param>
/// <param name="Refused">Recipients the server refused at <c>RCPT TO</c> while taking the message for the others.</param>
public sealed record MailSent(string Reply, IReadOnlyList<RefusedRecipient> Refused);

/// <summary>A recipient the server refused at <c>RCPT TO</c>, with its reply.</summary>
public sealed record RefusedRecipient(string Address, int Code, string Reply)
{
    /// <summary>5xx: this mailbox will not take the message; 4xx: not now, worth another try later.</summary>
    public bool IsPermanent => Code >= 500;

    public override string ToString() => $"{Address} refused{(IsPermanent ? "" : " for now")}: {Code} {Reply}";
}
