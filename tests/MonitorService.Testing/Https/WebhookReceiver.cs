using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace MonitorService.Testing;

/// <summary>
/// A webhook receiver on one loopback address: Kestrel over HTTPS with a certificate of the test's choosing (or plain
/// HTTP without one). Records every request (method, path, headers, body) and answers from a queue of scripted
/// answers, then by path (<see cref="Route"/>), then <see cref="Default"/>: statuses with Retry-After, redirects, a body that never ends, no answer at all.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    /// <summary>Where a flooding answer gives up on its own, so a client that reads everything still ends.</summary>
    public const long FloodLimitBytes = 4L * 1024 * 1024 * 1024;

    private const int MaxRequestBytes = 1024 * 1024;

    private readonly ConcurrentQueue<WebhookRequest> _requests = new();
    private readonly ConcurrentQueue<WebhookAnswer> _script = new();
    private readonly ConcurrentDictionary<string, WebhookAnswer> _byPath = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly X509Certificate2? _certificate;
    private WebApplication? _app;
    private long _floodBytes;
    private int _connections;

    private WebhookReceiver(IPAddress address, X509Certificate2? certificate)
    {
        Address = address;
        _certificate = certificate;
    }

    public IPAddress Address { get; }

    public int Port { get; private set; }

    /// <summary>The answer once the script is used up; 200 "ok" by default.</summary>
    public WebhookAnswer Default { get; set; } = WebhookAnswer.Ok();

    /// <summary>Every request so far, oldest first.</summary>
    public IReadOnlyList<WebhookRequest> Requests => _requests.ToArray();

    /// <summary>TCP connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Body bytes the flooding answers got written to clients.</summary>
    public long FloodBytesWritten => Interlocked.Read(ref _floodBytes);

    /// <summary>A URL of this receiver under <paramref name="host"/> (resolved by the test's DNS, or an address literal).</summary>
    public Uri Url(string host, string path = "/hook") => new($"{(_certificate is null ? "http" : "https")}://{host}:{Port}{path}");

    /// <summary>Answers the next requests with these, in order.</summary>
    public void Enqueue(params WebhookAnswer[] answers)
    {
        foreach (var answer in answers)
            _script.Enqueue(answer);
    }

    /// <summary>Answers requests to <paramref name="path"/> with this once the script is used up (before <see cref="Default"/>).</summary>
    public void Route(string path, WebhookAnswer answer) => _byPath[path] = answer;

    /// <param name="certificate">Null: plain HTTP.</param>
    public static async Task<WebhookReceiver> StartAsync(X509Certificate2? certificate, IPAddress address)
    {
        var receiver = new WebhookReceiver(LoopbackAddress.Require(address), certificate);
        await SharedPort.StartWithRetryAsync([receiver.Address], receiver.TryStartAsync);
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
            return;
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

    private async Task<WebhookReceiver> TryStartAsync(int port)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.AddServerHeader = false;
            options.Limits.MinResponseDataRate = null;
            options.Limits.MaxRequestBodySize = MaxRequestBytes;
            options.Listen(Address, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                listen.Use(next => connection =>
                {
                    Interlocked.Increment(ref _connections);
                    return next(connection);
                });
                if (_certificate is not null)
                    listen.UseHttps(_certificate);
            });
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

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, _stopping.Token);
        _requests.Enqueue(new WebhookRequest(
            DateTimeOffset.UtcNow,
            context.Request.Method,
            context.Request.Path.Value ?? "",
            context.Request.Host.HasValue ? context.Request.Host.Value : null,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body.ToArray()));

        var answer = _script.TryDequeue(out var next) ? next
            : _byPath.TryGetValue(context.Request.Path.Value ?? "", out var routed) ? routed
            : Default;
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, context.RequestAborted);
        switch (answer.Behavior)
        {
            case WebhookBehavior.Hang:
                try
                {
                    await Task.Delay(Timeout.Infinite, aborted.Token);
                }
                catch (OperationCanceledException)
                {
                }
                return;
            case WebhookBehavior.Flood:
                await FloodAsync(context, aborted.Token);
                return;
            default:
                context.Response.StatusCode = answer.Status;
                foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
                    context.Response.Headers[name] = value;
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync(answer.Body, aborted.Token);
                return;
        }
    }

    private async Task FloodAsync(HttpContext context, CancellationToken ct)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        var chunk = new byte[16 * 1024];
        Array.Fill(chunk, (byte)'x');
        try
        {
            while (FloodBytesWritten < FloodLimitBytes)
            {
                await context.Response.Body.WriteAsync(chunk, ct);
                await context.Response.Body.FlushAsync(ct);
                Interlocked.Add(ref _floodBytes, chunk.Length);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client stopped reading and closed the connection: what a bounded client does.
        }
    }
}
