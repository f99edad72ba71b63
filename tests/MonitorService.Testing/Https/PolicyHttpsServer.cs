using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;

namespace MonitorService.Testing;

/// <summary>
/// Kestrel HTTPS server on several loopback IPs sharing one port, serving configurable answers for
/// GET /.well-known/mta-sts.txt. The certificate is chosen by SNI; every TCP connection and request is recorded.
/// All configuration may be changed while the server runs.
/// </summary>
public sealed class PolicyHttpsServer : IAsyncDisposable
{
    public const string PolicyPath = "/.well-known/mta-sts.txt";

    private readonly ConcurrentDictionary<string, X509Certificate2> _certificatesByHost = new();
    private readonly ServerCertificateContexts _contexts = new();
    private readonly PolicyResponseTable _responses = new();
    private readonly ConcurrentQueue<HttpsRequestRecord> _requests = new();
    private readonly ConcurrentDictionary<string, HttpsConnectionRecord> _connectionsById = new();
    private readonly ConcurrentQueue<HttpsConnectionRecord> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private volatile X509Certificate2 _defaultCertificate;

    private PolicyHttpsServer(IReadOnlyList<IPAddress> addresses, X509Certificate2 defaultCertificate)
    {
        Addresses = addresses;
        _defaultCertificate = defaultCertificate;
    }

    /// <summary>The IPs the server listens on.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; }

    /// <summary>The one port used on every address (pass it as the engine's --policy-port).</summary>
    public int Port { get; private set; }

    /// <summary>Certificate used when the SNI name has no entry in the host map (or no SNI was sent).</summary>
    public X509Certificate2 DefaultCertificate
    {
        get => _defaultCertificate;
        set => _defaultCertificate = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Intermediates sent after every leaf, e.g. <see cref="TestCertificateAuthority.ChainCertificates"/>.</summary>
    public X509Certificate2Collection ChainCertificates
    {
        get => _contexts.ChainCertificates;
        set => _contexts.ChainCertificates = value;
    }

    /// <summary>Answer used when nothing more specific matches; 404 by default.</summary>
    public PolicyResponse DefaultResponse
    {
        get => _responses.Default;
        set => _responses.Default = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Every request so far, oldest first.</summary>
    public IReadOnlyList<HttpsRequestRecord> Requests => _requests.ToArray();

    /// <summary>Every accepted TCP connection so far (recorded before TLS), oldest first.</summary>
    public IReadOnlyList<HttpsConnectionRecord> Connections => _connections.ToArray();

    /// <summary>Starts listening on all <paramref name="addresses"/> (127.0.0.0/8 only) on one free port.</summary>
    public static Task<PolicyHttpsServer> StartAsync(X509Certificate2 defaultCertificate, params string[] addresses) =>
        StartAsync(defaultCertificate, addresses.Select(IPAddress.Parse));

    /// <summary>Starts listening on all <paramref name="addresses"/> (127.0.0.0/8 only) on one free port.</summary>
    public static Task<PolicyHttpsServer> StartAsync(X509Certificate2 defaultCertificate, params IPAddress[] addresses) =>
        StartAsync(defaultCertificate, (IEnumerable<IPAddress>)addresses);

    /// <summary>Starts listening on all <paramref name="addresses"/> (127.0.0.0/8 only) on one free port.</summary>
    public static async Task<PolicyHttpsServer> StartAsync(X509Certificate2 defaultCertificate, IEnumerable<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(defaultCertificate);
        var list = LoopbackAddress.RequireAll(addresses);
        var server = new PolicyHttpsServer(list, defaultCertificate);
        await SharedPort.StartWithRetryAsync(list, server.TryStartAsync);
        return server;
    }

    /// <summary>Serve <paramref name="certificate"/> when the client's SNI is <paramref name="host"/>.</summary>
    public void SetCertificate(string host, X509Certificate2 certificate) =>
        _certificatesByHost[PolicyResponseTable.Normalize(host)] = certificate;

    /// <summary>Answer for requests with this Host header, on any IP.</summary>
    public void SetResponse(string host, PolicyResponse response) => _responses.Set(host, response);

    /// <summary>Answer for requests arriving on this IP, for any host without a host-specific entry.</summary>
    public void SetResponse(IPAddress address, PolicyResponse response) => _responses.Set(address, response);

    /// <summary>Answer for requests with this Host header arriving on this IP (most specific).</summary>
    public void SetResponse(string host, IPAddress address, PolicyResponse response) => _responses.Set(host, address, response);

    /// <summary>Removes every per-host / per-IP response (the default stays).</summary>
    public void ClearResponses() => _responses.Clear();

    /// <summary>Forgets the recorded connections and requests.</summary>
    public void ClearLog()
    {
        _requests.Clear();
        _connections.Clear();
        _connectionsById.Clear();
    }

    /// <summary>Number of TCP connections that reached <paramref name="address"/>.</summary>
    public int ConnectionCount(IPAddress address) => _connections.Count(c => c.LocalAddress.Equals(address));

    /// <summary>True when at least one TCP connection reached <paramref name="address"/>.</summary>
    public bool WasContacted(IPAddress address) => ConnectionCount(address) > 0;

    /// <summary>Requests that arrived on <paramref name="address"/>.</summary>
    public IReadOnlyList<HttpsRequestRecord> RequestsTo(IPAddress address) =>
        _requests.Where(r => r.LocalAddress.Equals(address)).ToArray();

    /// <summary>https://{host}:{Port}/.well-known/mta-sts.txt</summary>
    public Uri PolicyUri(string host) => new($"https://{host}:{Port}{PolicyPath}");

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _app.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Connections were aborted; nothing else to wait for.
            }

            await _app.DisposeAsync();
        }

        _stopping.Dispose();
    }

    private async Task<PolicyHttpsServer> TryStartAsync(int port)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Limits.MinResponseDataRate = null;
            options.Limits.MinRequestBodyDataRate = null;
            foreach (var address in Addresses)
            {
                options.Listen(address, port, ConfigureListener);
            }
        });

        var app = builder.Build();
        app.Run(HandleAsync);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        _app = app;
        Port = port;
        return this;
    }

    private void ConfigureListener(ListenOptions listen)
    {
        listen.Protocols = HttpProtocols.Http1;
        listen.Use(next => async connection =>
        {
            var local = (connection.LocalEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
            var record = new HttpsConnectionRecord(connection.ConnectionId, local.IsIPv4MappedToIPv6 ? local.MapToIPv4() : local, connection.RemoteEndPoint);
            _connectionsById[connection.ConnectionId] = record;
            _connections.Enqueue(record);
            await next(connection);
        });
        listen.UseHttps(new TlsHandshakeCallbackOptions
        {
            HandshakeTimeout = TimeSpan.FromSeconds(10),
            OnConnection = context =>
            {
                var sni = string.IsNullOrEmpty(context.ClientHelloInfo.ServerName) ? null : context.ClientHelloInfo.ServerName;
                if (_connectionsById.TryGetValue(context.Connection.ConnectionId, out var record))
                {
                    record.SniHostName = sni;
                    record.TlsHandshakeStarted = true;
                }

                return ValueTask.FromResult(_contexts.CreateOptions(SelectCertificate(sni)));
            },
        });
    }

    private X509Certificate2 SelectCertificate(string? sni) =>
        sni is not null && _certificatesByHost.TryGetValue(PolicyResponseTable.Normalize(sni), out var certificate)
            ? certificate
            : _defaultCertificate;

    private async Task HandleAsync(HttpContext context)
    {
        var local = context.Connection.LocalIpAddress ?? IPAddress.None;
        if (local.IsIPv4MappedToIPv6)
        {
            local = local.MapToIPv4();
        }

        var sni = context.Features.Get<ITlsHandshakeFeature>()?.HostName;
        var host = string.IsNullOrEmpty(context.Request.Host.Host) ? null : context.Request.Host.Host;
        _requests.Enqueue(new HttpsRequestRecord(
            DateTimeOffset.UtcNow,
            context.Connection.Id,
            local,
            string.IsNullOrEmpty(sni) ? null : sni,
            host,
            context.Request.Method,
            context.Request.Path.Value ?? string.Empty,
            context.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null));

        if (!string.Equals(context.Request.Path.Value, PolicyPath, StringComparison.Ordinal))
        {
            await PolicyResponseWriter.WriteAsync(context, PolicyResponse.NotFound, _stopping.Token);
            return;
        }

        var response = _responses.Resolve(host ?? sni, local);
        await PolicyResponseWriter.WriteAsync(context, response, _stopping.Token);
    }
}
