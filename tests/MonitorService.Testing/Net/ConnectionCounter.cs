using System.Net;
using System.Net.Sockets;

namespace MonitorService.Testing;

/// <summary>
/// A TCP listener on one loopback address that only counts who connects, then hangs up at once. Stands in for an
/// internal service a hostile domain would like the monitor to reach (a metadata endpoint, an admin port): a test
/// points a URL or address at it and asserts that nothing arrived.
/// </summary>
public sealed class ConnectionCounter : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private int _connections;

    private ConnectionCounter(TcpListener listener)
    {
        _listener = listener;
        EndPoint = (IPEndPoint)listener.LocalEndpoint;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>TCP connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>An http:// URL on this listener, e.g. for a certificate's caIssuers entry.</summary>
    public string Url(string path) => $"http://{EndPoint.Address}:{EndPoint.Port}/{path.TrimStart('/')}";

    /// <param name="port">0 (the default) picks a free port; a fixed one stands in for a service port (SMTP, HTTPS).</param>
    public static ConnectionCounter Start(IPAddress address, int port = 0)
    {
        var listener = new TcpListener(LoopbackAddress.Require(address), port);
        listener.Start();
        return new ConnectionCounter(listener);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        _listener.Dispose();
        await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(5));
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                using var socket = await _listener.AcceptSocketAsync(_stopping.Token);
                Interlocked.Increment(ref _connections);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }
}
