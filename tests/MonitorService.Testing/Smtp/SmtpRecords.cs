using System.Net;
using System.Security.Authentication;

namespace MonitorService.Testing;

/// <summary>
/// A message accepted by <see cref="SmtpTestServer"/> (DATA already dot-unstuffed, CRLF line endings).
/// <see cref="AuthenticatedUser"/> is the account the client had logged in as, null without AUTH.
/// </summary>
public sealed record SmtpReceivedMessage(
    DateTimeOffset ReceivedAt,
    IPAddress LocalAddress,
    string? HeloName,
    string MailFrom,
    IReadOnlyList<string> Recipients,
    string Data,
    bool OverTls,
    string? AuthenticatedUser = null);

/// <summary>Everything seen on one SMTP connection. Thread-safe; list properties return snapshots.</summary>
public sealed class SmtpConnectionRecord
{
    private readonly Lock _gate = new();
    private readonly List<string> _commands = [];
    private readonly List<SmtpReceivedMessage> _messages = [];
    private readonly List<SmtpAuthAttempt> _authAttempts = [];
    private int _tlsCommandIndex = -1;
    private long _bytesSent;
    private DateTimeOffset? _lastCommandAt;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal SmtpConnectionRecord(IPAddress localAddress, EndPoint? remoteEndPoint, SmtpBehavior behavior, bool implicitTls = false)
    {
        LocalAddress = localAddress;
        RemoteEndPoint = remoteEndPoint;
        Behavior = behavior;
        ImplicitTls = implicitTls;
    }

    public DateTimeOffset ConnectedAt { get; } = DateTimeOffset.UtcNow;

    public IPAddress LocalAddress { get; }

    public EndPoint? RemoteEndPoint { get; }

    /// <summary>Behaviour in force when the connection was accepted.</summary>
    public SmtpBehavior Behavior { get; }

    /// <summary>True when the connection began with a TLS handshake (implicit TLS, port 465 style) instead of plain SMTP.</summary>
    public bool ImplicitTls { get; }

    /// <summary>Command lines received (DATA content excluded; AUTH without its credentials), in order.</summary>
    public IReadOnlyList<string> Commands
    {
        get
        {
            lock (_gate)
            {
                return _commands.ToArray();
            }
        }
    }

    public IReadOnlyList<SmtpReceivedMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return _messages.ToArray();
            }
        }
    }

    /// <summary>Every AUTH exchange on this connection, in order (the password is never kept).</summary>
    public IReadOnlyList<SmtpAuthAttempt> AuthAttempts
    {
        get
        {
            lock (_gate)
            {
                return _authAttempts.ToArray();
            }
        }
    }

    /// <summary>The account the client logged in as; null while it has not.</summary>
    public string? AuthenticatedUser
    {
        get
        {
            lock (_gate)
            {
                return _authAttempts.LastOrDefault(a => a.Succeeded)?.Username;
            }
        }
    }

    /// <summary>
    /// Bytes of SMTP text the server handed to the connection (plain text, before any TLS) until it closed. What the
    /// client really read is at most this; the rest sat in socket buffers when the client hung up.
    /// </summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>True when the client sent a ClientHello (after STARTTLS, or first thing with implicit TLS).</summary>
    public bool TlsHandshakeStarted { get; internal set; }

    /// <summary>
    /// True when the server side of the TLS handshake completed. With TLS 1.3 this is also true when the client
    /// then rejected the certificate (it validates after the server finished); check <see cref="TlsError"/> and
    /// whether any command followed STARTTLS.
    /// </summary>
    public bool TlsNegotiated { get; internal set; }

    /// <summary>SNI name from the ClientHello; null when none was sent.</summary>
    public string? SniHostName { get; internal set; }

    public SslProtocols? TlsProtocol { get; internal set; }

    /// <summary>Why TLS failed (handshake error, or an alert/abort right after it, e.g. certificate rejected), if it did.</summary>
    public string? TlsError { get; internal set; }

    /// <summary>True once the server side of the connection is closed.</summary>
    public bool IsClosed => _closed.Task.IsCompleted;

    /// <summary>Completes when the connection is closed.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Commands received after a completed STARTTLS handshake (empty when TLS never worked).</summary>
    public IReadOnlyList<string> CommandsAfterTls
    {
        get
        {
            lock (_gate)
            {
                return _tlsCommandIndex < 0 ? [] : _commands.Skip(_tlsCommandIndex).ToArray();
            }
        }
    }

    internal void MarkTlsNegotiated(SslProtocols protocol)
    {
        lock (_gate)
        {
            _tlsCommandIndex = _commands.Count;
        }

        TlsProtocol = protocol;
        TlsNegotiated = true;
    }

    /// <summary>
    /// When the last command arrived, before its reply went out. A client that waits for that reply (QUIT included) is
    /// still connected then, so [<see cref="ConnectedAt"/>, this] lies inside the client's own connection: tests count
    /// overlapping connections with it without racing the server's teardown.
    /// </summary>
    public DateTimeOffset? LastCommandAt
    {
        get
        {
            lock (_gate)
            {
                return _lastCommandAt;
            }
        }
    }

    internal void AddCommand(string line)
    {
        lock (_gate)
        {
            _commands.Add(line);
            _lastCommandAt = DateTimeOffset.UtcNow;
        }
    }

    internal void AddAuthAttempt(SmtpAuthAttempt attempt)
    {
        lock (_gate)
        {
            _authAttempts.Add(attempt);
        }
    }

    internal void AddMessage(SmtpReceivedMessage message)
    {
        lock (_gate)
        {
            _messages.Add(message);
        }
    }

    internal void AddBytesSent(int count) => Interlocked.Add(ref _bytesSent, count);

    internal void MarkClosed() => _closed.TrySetResult();
}
