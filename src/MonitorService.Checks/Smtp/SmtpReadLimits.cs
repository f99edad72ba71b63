namespace MonitorService.Checks.Smtp;

/// <summary>
/// How much a STARTTLS probe reads from a server. The server is attacker-controlled: without bounds an MX that
/// answers EHLO with continuation lines that never end grows the reply in memory until the node runs out. Real
/// servers stay far below these (RFC 5321 §4.5.3.1.5: reply lines of at most 512 octets; EHLO replies of a few
/// dozen lines; a certificate chain of a few KiB).
/// </summary>
public static class SmtpReadLimits
{
    /// <summary>One reply line, CRLF included.</summary>
    public const int MaxLineBytes = 4 * 1024;

    public const int MaxLinesPerReply = 100;

    /// <summary>One whole reply (the greeting, the answer to EHLO, ...), like the policy body limit.</summary>
    public const int MaxReplyBytes = 64 * 1024;

    /// <summary>Everything read on one probe's connection: replies, the TLS handshake and TLS record overhead.</summary>
    public const int MaxProbeBytes = 256 * 1024;

    /// <summary>How much of a reply a report quotes.</summary>
    public const int QuotedChars = 80;
}
