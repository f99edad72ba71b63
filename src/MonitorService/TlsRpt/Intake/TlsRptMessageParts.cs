using MimeKit;

namespace MonitorService.TlsRpt.Intake;

/// <summary>
/// Where the report is in a mail message (RFC 8460 §5.3): a part of type application/tlsrpt+gzip or
/// application/tlsrpt+json (in a <c>multipart/report; report-type=tlsrpt</c>, or the whole message), or an attachment
/// whose file name says report (<c>submitter!domain!start!end!id.json.gz</c>, or any .json / .json.gz) whatever its
/// type, as some senders label them application/gzip or application/octet-stream.
/// </summary>
public static class TlsRptMessageParts
{
    /// <summary>At most this many report parts of one message are read: one is what the RFC sends.</summary>
    public const int MaxParts = 10;

    public static IReadOnlyList<MimePart> Find(MimeMessage message) =>
        [.. message.BodyParts.OfType<MimePart>().Where(IsReport).Take(MaxParts)];

    private static bool IsReport(MimePart part)
    {
        if (part.ContentType.IsMimeType("application", "tlsrpt+gzip") || part.ContentType.IsMimeType("application", "tlsrpt+json"))
            return true;
        var name = part.FileName;
        return name is not null && (name.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".json", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The part's decoded content, or null when it decodes to more than <paramref name="maxBytes"/> (counted while decoding).</summary>
    public static async Task<byte[]?> DecodeAsync(MimePart part, long maxBytes, CancellationToken ct)
    {
        if (part.Content is null)
            return [];
        using var output = new CappedMemoryStream(maxBytes);
        try
        {
            await part.Content.DecodeToAsync(output, ct);
        }
        catch (CappedMemoryStream.FullException)
        {
            return null;
        }
        return output.ToArray();
    }

    /// <summary>A memory stream that refuses to grow past its cap.</summary>
    private sealed class CappedMemoryStream(long maxBytes) : MemoryStream
    {
        public sealed class FullException : IOException;

        // MemoryStream hands span writes of a derived class to Write(byte[], ...): both check, only that one writes.
        public override void Write(byte[] buffer, int offset, int count)
        {
            Check(count);
            base.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Check(buffer.Length);
            base.Write(buffer);
        }

        private void Check(int count)
        {
            if (Length + count > maxBytes)
                throw new FullException();
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void WriteByte(byte value) => Write([value]);
    }
}
