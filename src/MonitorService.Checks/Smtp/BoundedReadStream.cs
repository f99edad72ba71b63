namespace MonitorService.Checks.Smtp;

/// <summary>
/// The probe's connection as MailKit (and, below MailKit's TLS, SslStream) sees it. Hands out at most
/// <paramref name="maxBytes"/> in all, then fails every read; and every read observes the dialogue's deadline
/// itself, so a server that never stops sending is cut off on time whatever the reader above does with cancellation.
/// </summary>
internal sealed class BoundedReadStream(Stream inner, long maxBytes, CancellationToken deadline) : Stream
{
    private long _bytesRead;

    /// <summary>Bytes read from the connection so far (TLS records included).</summary>
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override bool CanTimeout => inner.CanTimeout;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int ReadTimeout { get => inner.ReadTimeout; set => inner.ReadTimeout = value; }
    public override int WriteTimeout { get => inner.WriteTimeout; set => inner.WriteTimeout = value; }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var allowed = Allowed(buffer.Length);
        using var linked = cancellationToken.CanBeCanceled && cancellationToken != deadline
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline)
            : null;
        var read = await inner.ReadAsync(buffer[..allowed], linked?.Token ?? deadline).ConfigureAwait(false);
        Interlocked.Add(ref _bytesRead, read);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var allowed = Allowed(count);
        var read = inner.Read(buffer, offset, allowed);
        Interlocked.Add(ref _bytesRead, read);
        return read;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>How much of a read of <paramref name="requested"/> bytes may go ahead; throws once the budget is spent or the deadline passed.</summary>
    private int Allowed(int requested)
    {
        deadline.ThrowIfCancellationRequested();
        var remaining = maxBytes - BytesRead;
        if (remaining <= 0)
            throw new SmtpReadLimitException($"a probe reads at most {maxBytes / 1024} KiB in all");
        return (int)Math.Min(requested, remaining);
    }
}
