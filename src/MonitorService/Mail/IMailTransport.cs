using MimeKit;

namespace MonitorService.Mail;

/// <summary>Hands one message to the mail system. Throws <see cref="MailDeliveryException"/> when it could not.</summary>
public interface IMailTransport
{
    /// <summary>Where mail goes, for logs and the attempt record ("smtp://host:port", a folder).</summary>
    string Destination { get; }

    /// <returns>What the other side said (the server's reply, the file written).</returns>
    Task<string> SendAsync(MimeMessage message, CancellationToken cancellationToken);
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

public sealed class MailDeliveryException(DeliveryFailureKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public DeliveryFailureKind Kind { get; } = kind;
    public bool IsPermanent => Kind == DeliveryFailureKind.Permanent;
}
