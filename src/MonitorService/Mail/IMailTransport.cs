using MimeKit;

namespace MonitorService.Mail;

/// <summary>Hands one message to the mail system. Throws <see cref="MailDeliveryException"/> when it could not.</summary>
public interface IMailTransport
{
    /// <summary>Where mail goes, for logs and the attempt record ("smtp://host:port", a folder).</summary>
    string Destination { get; }

    /// <param name="recipients">The envelope: who gets the message now. A follow-up delivery to recipients the server
    /// refused for the time being names fewer than the message's To header.</param>
    /// <returns>What the other side said (the server's reply, the file written) and the recipients it refused while
    /// taking the message for the others.</returns>
    /// <exception cref="MailDeliveryException">Nobody got the message; when the server refused every recipient,
    /// <see cref="MailDeliveryException.Refused"/> says how it refused each.</exception>
    Task<MailSent> SendAsync(MimeMessage message, IReadOnlyList<string> recipients, CancellationToken cancellationToken);
}

public enum DeliveryFailureKind
{
    /// <summary>The server could not be reached (refused, timeout, TLS failure): retry later.</summary>
    Unreachable,
    /// <summary>The server answered 4xx: retry later.</summary>
    Transient,
    /// <summary>5xx: the server refused this message; retrying would not help.</summary>
    Permanent,
    /// <summary>
    /// The server wants a login it did not get: it refused ours, wants one and none is configured, or offers none on
    /// this connection. A fault of our configuration, not of the message: retry later (once the operator has fixed
    /// it), and try no other message now (one refused login per run, not one per queued mail).
    /// </summary>
    LoginRefused,
}

public sealed class MailDeliveryException(DeliveryFailureKind kind, string message, Exception? inner = null, IReadOnlyList<RefusedRecipient>? refused = null)
    : Exception(message, inner)
{
    public DeliveryFailureKind Kind { get; } = kind;
    public bool IsPermanent => Kind == DeliveryFailureKind.Permanent;

    /// <summary>Set when the server refused every recipient: each refusal, in envelope order.</summary>
    public IReadOnlyList<RefusedRecipient> Refused { get; } = refused ?? [];
}
