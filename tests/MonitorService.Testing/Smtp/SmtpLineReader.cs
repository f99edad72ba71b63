using System.Buffers;
using System.Text;

namespace MonitorService.Testing;

/// <summary>
/// Reads CRLF (or bare LF) terminated lines from a stream with its own buffer, so the underlying stream can be
/// swapped for an SslStream after STARTTLS (the buffer is discarded then, as RFC 3207 requires).
/// </summary>
internal sealed class SmtpLineReader
{
    public const int MaxLineBytes = 64 * 1024;

    private readonly byte[] _buffer = new byte[16 * 1024];
    private Stream _stream;
    private int _start;
    private int _end;

    public SmtpLineReader(Stream stream) => _stream = stream;

    /// <summary>Bytes received but not yet consumed.</summary>
    public int BufferedBytes => _end - _start;

    /// <summary>Reads from <paramref name="stream"/> from now on and drops anything buffered.</summary>
    public void Reset(Stream stream)
    {
        _stream = stream;
        _start = _end = 0;
    }

    /// <summary>Next line without its terminator; null at end of stream.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken token)
    {
        var line = new ArrayBufferWriter<byte>(128);
        while (true)
        {
            var available = _buffer.AsSpan(_start, _end - _start);
            var newline = available.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line.Write(available[..newline]);
                _start += newline + 1;
                return Decode(line.WrittenSpan);
            }

            line.Write(available);
            _start = _end = 0;
            if (line.WrittenCount > MaxLineBytes)
            {
                throw new InvalidDataException("SMTP line too long.");
            }

            var read = await _stream.ReadAsync(_buffer, token);
            if (read == 0)
            {
                return line.WrittenCount > 0 ? Decode(line.WrittenSpan) : null;
            }

            _end = read;
        }
    }

    private static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 0 && bytes[^1] == (byte)'\r')
        {
            bytes = bytes[..^1];
        }

        return Encoding.UTF8.GetString(bytes);
    }
}
