using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace MonitorService.Testing;

/// <summary>
/// Minimal SMTP server / message sink on several loopback IPs sharing one port, with per-IP behaviour
/// (<see cref="SmtpBehavior"/>) and per-IP or per-SNI certificates, STARTTLS or implicit TLS, and optional AUTH
/// (<see cref="Credentials"/>). Records every connection and message.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private readonly List<TcpListener> _listeners = [];
    private readonly List<Task> _acceptLoops = [];
    private readonly ConcurrentDictionary<Task, byte> _sessions = new();
    private readonly ConcurrentDictionary<IPAddress, SmtpBehavior> _behaviors = new();
    private readonly ConcurrentDictionary<IPAddress, X509Certificate2> _certificatesByAddress = new();
    private readonly ConcurrentDictionary<string, X509Certificate2> _certificatesByHost = new();
    private readonly ConcurrentQueue<SmtpConnectionRecord> _connections = new();
    private readonly ConcurrentQueue<SmtpReceivedMessage> _messages = new();
    private readonly ServerCertificateContexts _contexts = new();
    private readonly CancellationTokenSource _stopping = new();
    private volatile X509Certificate2? _defaultCertificate;

    private SmtpTestServer(IReadOnlyList<IPAddress> addresses, X509Certificate2? defaultCertificate)
    {
        Addresses = addresses;
        _defaultCertificate = defaultCertificate;
    }

    public IReadOnlyList<IPAddress> Addresses { get; }

    /// <summary>The one port used on every address.</summary>
    public int Port { get; private set; }

    /// <summary>Name in the greeting and EHLO reply.</summary>
    public string ServerName { get; set; } = "mx.test.invalid";

    /// <summary>Behaviour for IPs without their own; <see cref="SmtpBehavior.Normal"/> unless changed.</summary>
    public SmtpBehavior DefaultBehavior { get; set; } = SmtpBehavior.Normal;

    /// <summary>
    /// When true, every connection accepted from now on starts with the TLS handshake (implicit TLS, as on port 465)
    /// and STARTTLS is not offered. Needs a certificate, like STARTTLS.
    /// </summary>
    public bool ImplicitTls { get; set; }

    /// <summary>Accounts for AUTH. Empty (the default): no AUTH, anyone may send. See <see cref="SmtpCredentials"/>.</summary>
    public SmtpCredentials Credentials { get; } = new();

    /// <summary>How long the server waits before answering the end of a message's DATA (a slow relay). Zero: at once.</summary>
    public TimeSpan DataReplyDelay { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// During <see cref="DataReplyDelay"/>, send a "250-" continuation line every 200 ms: every read of the client gets
    /// data, so no per-read timeout ends the wait (a trickling relay).
    /// </summary>
    public bool DataReplyTrickle { get; set; }

    /// <summary>Where a flooding behaviour gives up and closes, so that a client without limits cannot run the test host out of memory.</summary>
    public long FloodLimitBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Length of the single greeting line of <see cref="SmtpBehavior.LongGreetingLine"/>.</summary>
    public int LongLineBytes { get; set; } = 1024 * 1024;

    /// <summary>Pause between the bytes of <see cref="SmtpBehavior.TrickleGreeting"/>.</summary>
    public TimeSpan TrickleInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Socket send buffer of flooding connections. Fixed, so that what the server counts as sent exceeds what the
    /// client read by at most this buffer (doubled by Linux) and the client's receive buffer: a deterministic bound.
    /// </summary>
    public const int FloodSendBufferBytes = 64 * 1024;

    /// <summary>A connection waiting this long for a command is closed.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Certificate used when neither the IP nor the SNI name has one.</summary>
    public X509Certificate2? DefaultCertificate
    {
        get => _defaultCertificate;
        set => _defaultCertificate = value;
    }

    /// <summary>Intermediates sent after every leaf, e.g. <see cref="TestCertificateAuthority.ChainCertificates"/>.</summary>
    public X509Certificate2Collection ChainCertificates
    {
        get => _contexts.ChainCertificates;
        set => _contexts.ChainCertificates = value;
    }

    /// <summary>All connections so far, oldest first.</summary>
    public IReadOnlyList<SmtpConnectionRecord> Connections => _connections.ToArray();

    /// <summary>All accepted messages so far, oldest first.</summary>
    public IReadOnlyList<SmtpReceivedMessage> Messages => _messages.ToArray();

    /// <summary>Starts listening on all <paramref name="addresses"/> (127.0.0.0/8 only) on one free port.</summary>
    public static Task<SmtpTestServer> StartAsync(X509Certificate2? defaultCertificate, params string[] addresses) =>
        StartAsync(defaultCertificate, addresses.Select(IPAddress.Parse));

    /// <summary>Starts listening on all <paramref name="addresses"/> (127.0.0.0/8 only) on one free port.</summary>
    public static Task<SmtpTestServer> StartAsync(X509Certificate2? defaultCertificate, params IPAddress[] addresses) =>
        StartAsync(defaultCertificate, (IEnumerable<IPAddress>)addresses);

    /// <summary>Starts listening on all <paramref name="addresses"/> (127.0.0.0/8 only) on one free port.</summary>
    public static async Task<SmtpTestServer> StartAsync(X509Certificate2? defaultCertificate, IEnumerable<IPAddress> addresses)
    {
        var list = LoopbackAddress.RequireAll(addresses);
        var server = new SmtpTestServer(list, defaultCertificate);
        await SharedPort.StartWithRetryAsync(list, server.TryStart);
        return server;
    }

    public void SetBehavior(IPAddress address, SmtpBehavior behavior) => _behaviors[SmtpSession.Normalize(address)] = behavior;

    /// <summary>Certificate for connections to <paramref name="address"/> (takes precedence over SNI).</summary>
    public void SetCertificate(IPAddress address, X509Certificate2 certificate) =>
        _certificatesByAddress[SmtpSession.Normalize(address)] = certificate;

    /// <summary>Certificate for a ClientHello with this SNI name (when the IP has no certificate of its own).</summary>
    public void SetCertificate(string sniHostName, X509Certificate2 certificate) =>
        _certificatesByHost[PolicyResponseTable.Normalize(sniHostName)] = certificate;

    public IReadOnlyList<SmtpConnectionRecord> ConnectionsTo(IPAddress address) =>
        _connections.Where(c => c.LocalAddress.Equals(address)).ToArray();

    public bool WasContacted(IPAddress address) => _connections.Any(c => c.LocalAddress.Equals(address));

    public void ClearLog()
    {
        _connections.Clear();
        _messages.Clear();
    }

    /// <summary>Waits until at least <paramref name="count"/> messages were received; returns them.</summary>
    public async Task<IReadOnlyList<SmtpReceivedMessage>> WaitForMessagesAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (_messages.Count < count)
        {
            try
            {
                await Task.Delay(20, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Expected {count} message(s), got {_messages.Count} within {timeout}.");
            }
        }

        return Messages;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        foreach (var listener in _listeners)
        {
            listener.Stop();
            listener.Dispose();
        }

        var pending = _acceptLoops.Concat(_sessions.Keys).ToArray();
        await Task.WhenAny(Task.WhenAll(pending), Task.Delay(TimeSpan.FromSeconds(5)));
        _stopping.Dispose();
    }

    internal bool HasCertificateFor(IPAddress address) =>
        _defaultCertificate is not null || _certificatesByAddress.ContainsKey(address) || !_certificatesByHost.IsEmpty;

    internal SslServerAuthenticationOptions CreateTlsOptions(IPAddress address, string? sni)
    {
        X509Certificate2? certificate = null;
        if (!_certificatesByAddress.TryGetValue(address, out certificate)
            && (sni is null || !_certificatesByHost.TryGetValue(PolicyResponseTable.Normalize(sni), out certificate)))
        {
            certificate = _defaultCertificate;
        }

        return _contexts.CreateOptions(certificate ?? throw new InvalidOperationException($"No certificate for {address} / SNI '{sni}'."));
    }

    internal void AddMessage(SmtpReceivedMessage message) => _messages.Enqueue(message);

    private Task<SmtpTestServer> TryStart(int port)
    {
        var listeners = new List<TcpListener>();
        try
        {
            foreach (var address in Addresses)
            {
                var listener = new TcpListener(address, port);
                listeners.Add(listener);
                listener.Start(backlog: 512);
            }
        }
        catch
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
                listener.Dispose();
            }

            throw;
        }

        Port = port;
        _listeners.AddRange(listeners);
        foreach (var listener in listeners)
        {
            _acceptLoops.Add(Task.Run(() => AcceptLoopAsync(listener)));
        }

        return Task.FromResult(this);
    }

    private async Task AcceptLoopAsync(TcpListener listener)
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            socket.NoDelay = true;
            var local = SmtpSession.Normalize(((IPEndPoint)socket.LocalEndPoint!).Address);
            var behavior = _behaviors.TryGetValue(local, out var configured) ? configured : DefaultBehavior;
            if (SmtpFlood.IsFlood(behavior))
            {
                socket.SendBufferSize = FloodSendBufferBytes;
            }

            var record = new SmtpConnectionRecord(local, socket.RemoteEndPoint, behavior, ImplicitTls);
            _connections.Enqueue(record);
            var session = new SmtpSession(this, socket, record, token);
            var task = Task.Run(session.RunAsync, CancellationToken.None);
            _sessions.TryAdd(task, 0);
            _ = task.ContinueWith(t => _sessions.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
