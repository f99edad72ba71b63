using System.Text;
using MailKit;

namespace MonitorService.Checks.Smtp;

/// <summary>
/// MailKit's view of the dialogue, in plain text also after STARTTLS: keeps what the report needs (the greeting,
/// the last command, how the reply being read began), which MailKit does not expose, and hands every byte from the
/// server to <see cref="SmtpReplyMeter"/> before MailKit parses it. Everything kept is bounded.
/// </summary>
internal sealed class SmtpDialogueRecorder : IProtocolLogger
{
    private const int MaxGreetingChars = 512;
    private readonly SmtpReplyMeter _meter = new();
    private readonly StringBuilder _firstReply = new();
    private readonly StringBuilder _replyStart = new();
    private bool _sentCommand;
    private bool _afterTls;

    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    /// <summary>The first line of the server's greeting, e.g. "220 mx.example.net ESMTP".</summary>
    public string? Greeting => FirstLine(_firstReply.ToString(), MaxGreetingChars) is { Length: > 0 } line ? line : null;

    /// <summary>The verb of the last command we sent ("EHLO", "STARTTLS"), null before the first.</summary>
    public string? LastCommand { get; private set; }

    /// <summary>What the server was sending when the dialogue stopped, in words: "the greeting", "the reply to EHLO", ...</summary>
    public string CurrentStage => LastCommand is null ? "the greeting"
        : LastCommand == "STARTTLS" && _replyStart.Length > 0 && !_meter.InReply ? "the TLS handshake after STARTTLS"
        : $"the reply to {LastCommand}{(_afterTls ? " after STARTTLS" : "")}";

    /// <summary>The first line of the reply being read (or the last one), quoted safely for a report.</summary>
    public string ReplyStart => Printable(FirstLine(_replyStart.ToString(), SmtpReadLimits.QuotedChars));

    public void LogConnect(Uri uri) { }

    public void LogClient(byte[] buffer, int offset, int count)
    {
        var text = Encoding.ASCII.GetString(buffer, offset, Math.Min(count, 64));
        var verb = text.Split([' ', '\r', '\n'], 2)[0].ToUpperInvariant();
        // A command after STARTTLS goes out once the handshake is done.
        _afterTls |= LastCommand == "STARTTLS";
        if (verb.Length > 0)
            LastCommand = verb;
        _sentCommand = true;
        _replyStart.Clear();
    }

    public void LogServer(byte[] buffer, int offset, int count)
    {
        Keep(_sentCommand ? null : _firstReply, buffer, offset, count, 4096);
        Keep(_replyStart, buffer, offset, count, SmtpReadLimits.QuotedChars * 2);
        // Throws when a reply grows past the limits, before MailKit adds these bytes to the reply it is building.
        _meter.Observe(buffer.AsSpan(offset, count));
    }

    public void Dispose() { }

    private static void Keep(StringBuilder? text, byte[] buffer, int offset, int count, int max)
    {
        var room = max - (text?.Length ?? max);
        if (room > 0)
            text!.Append(Encoding.ASCII.GetString(buffer, offset, Math.Min(count, room)));
    }

    private static string FirstLine(string text, int maxChars)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        var line = (end < 0 ? text : text[..end]).TrimEnd('\r');
        return line.Length <= maxChars ? line : line[..maxChars] + "…";
    }

    private static string Printable(string text) => new(text.Select(c => c is >= ' ' and <= '~' or '…' ? c : '?').ToArray());
}
