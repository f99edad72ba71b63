namespace MonitorService.Testing;

/// <summary>Per-IP behaviour of <see cref="SmtpTestServer"/>.</summary>
public enum SmtpBehavior
{
    /// <summary>Full minimal SMTP server offering STARTTLS (needs a certificate for the IP, the SNI name, or a default).</summary>
    Normal,

    /// <summary>Like <see cref="Normal"/> but EHLO does not advertise STARTTLS and STARTTLS is refused (502).</summary>
    NoStartTls,

    /// <summary>Accept the TCP connection and never send anything (no greeting).</summary>
    NoGreeting,

    /// <summary>Offer STARTTLS, answer 220 to it, then close the connection instead of a TLS handshake.</summary>
    TlsBrokenClose,

    /// <summary>Offer STARTTLS, answer 220 to it, then send plain-text garbage instead of a TLS handshake and close.</summary>
    TlsBrokenGarbage,

    /// <summary>Accept and close the connection at once.</summary>
    CloseImmediately,

    /// <summary>Like <see cref="Normal"/> but every RCPT is refused permanently (550 5.1.1).</summary>
    RejectRecipients,

    /// <summary>Like <see cref="Normal"/> but every RCPT is refused for now (451 4.3.0): the client should retry later.</summary>
    DeferRecipients,

    /// <summary>
    /// Like <see cref="Normal"/>, but a RCPT whose local part starts with "gone" is refused permanently (550 5.1.1) and
    /// one starting with "busy" for now (451 4.2.1); everyone else is accepted. A relay that knows some mailboxes only.
    /// </summary>
    RejectSomeRecipients,

    /// <summary>A greeting of <c>220-</c> continuation lines that never ends (until <see cref="SmtpTestServer.FloodLimitBytes"/>).</summary>
    FloodGreeting,

    /// <summary>A normal greeting, then an EHLO reply of <c>250-</c> continuation lines that never ends.</summary>
    FloodEhlo,

    /// <summary>Normal up to STARTTLS and the handshake; the EHLO after it is answered by <c>250-</c> lines that never end.</summary>
    FloodEhloAfterTls,

    /// <summary>A greeting that is one line of <see cref="SmtpTestServer.LongLineBytes"/> bytes (1 MiB by default), then a normal dialogue.</summary>
    LongGreetingLine,

    /// <summary>"220 " followed by bytes that never contain a line end (until <see cref="SmtpTestServer.FloodLimitBytes"/>).</summary>
    GreetingWithoutLineEnd,

    /// <summary>A <c>220-</c> greeting sent one byte per <see cref="SmtpTestServer.TrickleInterval"/>, forever: never too much, never done.</summary>
    TrickleGreeting,

    /// <summary>Offers STARTTLS, then refuses it with a 454 reply of about 60 KiB (within a client's reply limit, but not a report's).</summary>
    LongStartTlsRefusal,
}
