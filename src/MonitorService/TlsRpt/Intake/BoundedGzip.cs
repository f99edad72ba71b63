using System.Buffers;
using System.IO.Compression;

namespace MonitorService.TlsRpt.Intake;

/// <summary>
/// gzip told by its magic bytes (1f 8b), whatever a content type or file name says, and inflated with a hard cap:
/// bytes are counted as they come out and inflating stops at the first chunk past the cap, so a gzip bomb costs at
/// most the cap plus one chunk of memory and time, never its full inflated size.
/// </summary>
public static class BoundedGzip
{
    private const int ChunkBytes = 64 * 1024;

    public static bool IsGzip(ReadOnlySpan<byte> data) => data.Length >= 2 && data[0] == 0x1f && data[1] == 0x8b;

    /// <summary>The inflated bytes, or null with <paramref name="error"/>; <paramref name="inflatedBytes"/> is how far inflating went.</summary>
    public static byte[]? Inflate(ReadOnlyMemory<byte> gzip, long maxBytes, out long inflatedBytes, out string? error)
    {
        inflatedBytes = 0;
        error = null;
        var output = new ArrayBufferWriter<byte>(ChunkBytes);
        try
        {
            using var input = new ReadOnlyMemoryStream(gzip);
            using var inflater = new GZipStream(input, CompressionMode.Decompress);
            while (true)
            {
                var span = output.GetSpan(ChunkBytes)[..ChunkBytes];
                var read = inflater.Read(span);
                if (read == 0)
                    break;
                inflatedBytes += read;
                if (inflatedBytes > maxBytes)
                {
                    error = $"The report inflates to more than {maxBytes} bytes (TlsRpt:MaxReportBytes); inflating stopped there.";
                    return null;
                }
                output.Advance(read);
            }
        }
        catch (InvalidDataException e)
        {
            error = $"Not valid gzip: {e.Message}";
            return null;
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary>gzip-compressed, for storing raw reports.</summary>
    public static byte[] Compress(ReadOnlySpan<byte> data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(data);
        return buffer.ToArray();
    }

    /// <summary>A read-only stream over memory we already hold (no copy).</summary>
    private sealed class ReadOnlyMemoryStream(ReadOnlyMemory<byte> memory) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => memory.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(buffer.Length, memory.Length - _position);
            memory.Span.Slice(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
