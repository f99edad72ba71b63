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
}
