using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using DnsClient;

namespace MonitorService.Testing.Dns;

/// <summary>
/// In-process authoritative DNS server for integration tests. Listens on UDP and TCP at the same random
/// port on 127.0.0.1 and answers from <see cref="Zone"/>, which the test may change at any time.
/// Malformed packets are dropped; disposing stops both listeners and closes open TCP connections.
/// </summary>
public sealed class TestDnsServer : IAsyncDisposable
{
    private const int MaxBindAttempts = 50;
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _udp;
    private readonly Socket _tcp;
    private readonly DnsQueryLog _log = new();
    private readonly DnsRequestHandler _handler;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _connectionsGate = new();
    private readonly Dictionary<Socket, Task> _connections = [];
    private readonly Task _udpLoop;
    private readonly Task _tcpLoop;
    private int _disposed;

    private TestDnsServer(Socket udp, Socket tcp, TestDnsZone zone)
    {
        _udp = udp;
        _tcp = tcp;
        Zone = zone;
        EndPoint = (IPEndPoint)udp.LocalEndPoint!;
        _handler = new DnsRequestHandler(zone, _log, () => Dnssec);
        _udpLoop = Task.Run(() => RunUdpAsync(_stopping.Token));
        _tcpLoop = Task.Run(() => RunTcpAsync(_stopping.Token));
    }

    /// <summary>The loopback address (127.0.0.1 unless started with another) and the port shared by the UDP and TCP listeners.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Pause between the bytes of a <see cref="DnsBehavior.TrickleTcp"/> answer.</summary>
    public TimeSpan TrickleInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// A signed hierarchy to serve (root, TLD, domains) in front of <see cref="Zone"/>, whose records it signs; null
    /// (the default): the plain unsigned zone alone.
    /// </summary>
    public Dnssec.TestDnssecHierarchy? Dnssec { get; set; }

    /// <summary>The zone being served; mutate it freely between (or during) queries.</summary>
    public TestDnsZone Zone { get; }

    /// <summary>Snapshot of every well-formed query received, in arrival order (name normalised, type mnemonic).</summary>
    public IReadOnlyList<(string Name, string Type, bool Tcp)> Queries => _log.Snapshot();

    /// <summary>Starts a server on a fresh port, serving <paramref name="zone"/> or a new empty zone.</summary>
    public static Task<TestDnsServer> StartAsync(TestDnsZone? zone = null) => Task.FromResult(Start(zone));

    /// <summary>Synchronous variant of <see cref="StartAsync"/>.</summary>
    public static TestDnsServer Start(TestDnsZone? zone = null)
    {
        SocketException? last = null;
        for (int attempt = 0; attempt < MaxBindAttempts; attempt++)
        {
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                tcp.Bind(new IPEndPoint(IPAddress.Loopback, ((IPEndPoint)udp.LocalEndPoint!).Port));
                tcp.Listen(64);
                return new TestDnsServer(udp, tcp, zone ?? new TestDnsZone());
            }
            catch (SocketException ex)
            {
                last = ex;
                udp.Dispose();
                tcp.Dispose();
            }
        }

        throw new InvalidOperationException("Could not bind UDP and TCP to one free port on 127.0.0.1.", last);
    }

    /// <summary>
    /// One server per zone, each on its own loopback address (127.0.0.x) and all on the same port, like the name servers
    /// of one domain, which all listen on port 53: the engine is told that one port. Retries with a new port when one
    /// of the addresses has it taken.
    /// </summary>
    public static IReadOnlyList<TestDnsServer> StartOnSharedPort(IReadOnlyList<(IPAddress Address, TestDnsZone Zone)> servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        if (servers.Count == 0 || servers.Any(s => !IPAddress.IsLoopback(s.Address) || s.Address.AddressFamily != AddressFamily.InterNetwork))
        {
            throw new ArgumentException("Servers need at least one IPv4 loopback address.", nameof(servers));
        }

        for (int attempt = 0; attempt < MaxBindAttempts; attempt++)
        {
            var started = new List<TestDnsServer>();
            var first = TryBind(new IPEndPoint(servers[0].Address, 0), servers[0].Zone);
            if (first is null)
            {
                continue;
            }

            started.Add(first);
            foreach (var (address, zone) in servers.Skip(1))
            {
                var next = TryBind(new IPEndPoint(address, first.EndPoint.Port), zone);
                if (next is null)
                {
                    break;
                }

                started.Add(next);
            }

            if (started.Count == servers.Count)
            {
                return started;
            }

            foreach (var server in started)
            {
                server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }

        throw new InvalidOperationException("Could not bind UDP and TCP to one port shared by all the given loopback addresses.");
    }

    private static TestDnsServer? TryBind(IPEndPoint endPoint, TestDnsZone zone)
    {
        var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            udp.Bind(endPoint);
            tcp.Bind(new IPEndPoint(endPoint.Address, ((IPEndPoint)udp.LocalEndPoint!).Port));
            tcp.Listen(64);
            return new TestDnsServer(udp, tcp, zone);
        }
        catch (SocketException)
        {
            udp.Dispose();
            tcp.Dispose();
            return null;
        }
    }

    /// <summary>TCP connections open right now (a client that gave up should have closed its own).</summary>
    public int OpenTcpConnections
    {
        get
        {
            lock (_connectionsGate)
            {
                return _connections.Count;
            }
        }
    }

    /// <summary>Number of queries received for <paramref name="name"/> and <paramref name="type"/> ("A", "TXT", ...), over UDP and TCP.</summary>
    public int QueryCount(string name, string type) => _log.Count(name, type, null);

    /// <summary>Number of queries received for the name and type over TCP (<paramref name="tcp"/> = true) or UDP.</summary>
    public int QueryCount(string name, string type, bool tcp) => _log.Count(name, type, tcp);

    /// <summary>Forgets all recorded queries.</summary>
    public void ClearQueries() => _log.Clear();

    /// <summary>
    /// Client options aimed at this server: no cache, no retries, TCP fallback, DNS errors not thrown. The timeout
    /// defaults to 5 s because a loaded CI machine can take over a second to answer the first query (JIT, thread pool);
    /// tests of timeouts pass a short one.
    /// </summary>
    public LookupClientOptions CreateClientOptions(TimeSpan? timeout = null) => new(new NameServer(EndPoint))
    {
        UseCache = false,
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
        Retries = 0,
        UseTcpFallback = true,
        ThrowDnsErrors = false,
    };

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _udp.Dispose();
        _tcp.Dispose();
        Task[] pending;
        lock (_connectionsGate)
        {
            foreach (Socket connection in _connections.Keys)
            {
                connection.Dispose();
            }

            pending = [_udpLoop, _tcpLoop, .. _connections.Values];
        }

        try
        {
            await Task.WhenAll(pending).WaitAsync(ShutdownTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Loops swallow their own errors; a stuck one must not hang the test run.
        }

        _stopping.Dispose();
    }

    private async Task RunUdpAsync(CancellationToken token)
    {
        var buffer = new byte[ushort.MaxValue];
        var anyRemote = new IPEndPoint(IPAddress.Any, 0);
        while (!token.IsCancellationRequested)
        {
            try
            {
                SocketReceiveFromResult received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, anyRemote, token).ConfigureAwait(false);
                byte[]? response = _handler.Handle(buffer.AsSpan(0, received.ReceivedBytes), tcp: false);
                if (response is not null)
                {
                    await _udp.SendToAsync(response, SocketFlags.None, received.RemoteEndPoint, token).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (IsStopping(ex, token))
            {
                return;
            }
            catch (SocketException)
            {
                // e.g. ICMP port unreachable from a client that went away; keep serving.
            }
        }
    }

    private async Task RunTcpAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _tcp.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsStopping(ex, token))
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            lock (_connectionsGate)
            {
                if (token.IsCancellationRequested)
                {
                    connection.Dispose();
                    return;
                }

                _connections[connection] = Task.Run(() => ServeConnectionAsync(connection, token), CancellationToken.None);
            }
        }
    }

    private async Task ServeConnectionAsync(Socket connection, CancellationToken token)
    {
        try
        {
            await using var stream = new NetworkStream(connection, ownsSocket: true);
            var lengthPrefix = new byte[2];
            while (!token.IsCancellationRequested)
            {
                await stream.ReadExactlyAsync(lengthPrefix, token).ConfigureAwait(false);
                int length = BinaryPrimitives.ReadUInt16BigEndian(lengthPrefix);
                var message = new byte[length];
                await stream.ReadExactlyAsync(message, token).ConfigureAwait(false);
                byte[]? response = _handler.Handle(message, tcp: true);
                if (response is null)
                {
                    continue; // malformed or Hang: stay silent, the client times out or closes
                }

                var framed = new byte[response.Length + 2];
                BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)response.Length);
                response.CopyTo(framed, 2);
                if (_handler.Trickles(message))
                {
                    for (var i = 0; i < framed.Length; i++)
                    {
                        await stream.WriteAsync(framed.AsMemory(i, 1), token).ConfigureAwait(false);
                        await Task.Delay(TrickleInterval, token).ConfigureAwait(false);
                    }

                    continue;
                }

                await stream.WriteAsync(framed, token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is EndOfStreamException or IOException or SocketException || IsStopping(ex, token))
        {
            // Client closed the connection, or the server is stopping.
        }
        finally
        {
            connection.Dispose();
            lock (_connectionsGate)
            {
                _connections.Remove(connection);
            }
        }
    }

    private static bool IsStopping(Exception ex, CancellationToken token) =>
        ex is OperationCanceledException or ObjectDisposedException
        || (token.IsCancellationRequested && ex is SocketException);
}
