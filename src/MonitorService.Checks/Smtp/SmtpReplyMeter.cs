namespace MonitorService.Checks.Smtp;

/// <summary>
/// Follows the shape of the server's replies byte by byte (lines, continuation lines, whole replies) and throws
/// <see cref="SmtpReadLimitException"/> as soon as one exceeds <see cref="SmtpReadLimits"/>: MailKit keeps a whole
/// reply in memory and has no such limits of its own. A line whose fourth byte is '-' continues the reply
/// (RFC 5321 §4.2.1); any other line ends it.
/// </summary>
internal sealed class SmtpReplyMeter
{
    private int _lineBytes;
    private int _lines;
    private int _replyBytes;
    private bool _continues;

    /// <summary>True between the first byte of a reply and the line that ends it.</summary>
    public bool InReply => _replyBytes > 0;

    public void Observe(ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            _replyBytes++;
            _lineBytes++;
            if (_lineBytes == 4)
                _continues = b == (byte)'-';
            if (b == (byte)'\n')
            {
                EndLine();
                continue;
            }
            if (_lineBytes > SmtpReadLimits.MaxLineBytes)
                throw new SmtpReadLimitException($"a reply line may be at most {SmtpReadLimits.MaxLineBytes / 1024} KiB");
            if (_replyBytes > SmtpReadLimits.MaxReplyBytes)
                throw new SmtpReadLimitException($"a reply may be at most {SmtpReadLimits.MaxReplyBytes / 1024} KiB");
        }
    }

    private void EndLine()
    {
        var continues = _continues && _lineBytes > 4;
        _lineBytes = 0;
        _continues = false;
        if (!continues)
        {
            _lines = 0;
            _replyBytes = 0;
            return;
        }
        if (++_lines >= SmtpReadLimits.MaxLinesPerReply)
            throw new SmtpReadLimitException($"a reply may be at most {SmtpReadLimits.MaxLinesPerReply} lines");
    }
}
