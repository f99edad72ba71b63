using System.Net;
using System.Net.Sockets;

namespace MonitorService.Checks.Net;

/// <summary>
/// Opens TCP connections to an address we resolved and the <see cref="AddressGuard"/> allowed, never to a name: the
/// operating system's resolver is never asked, so what we checked is what we connect to.
/// </summary>
public static class GuardedConnector
{
    public const int ReceiveBufferBytes = 64 * 1024;

    public static async Task<Socket> ConnectAsync(IPAddress address, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            // Fixed, so the kernel does not grow it (up to tcp_rmem's maximum, often many MiB) for a server that floods
            // us: what sits unread in kernel memory per connection stays this small. Plenty for a policy file or a probe.
            ReceiveBufferSize = ReceiveBufferBytes,
        };
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(address, port), timeoutSource.Token).ConfigureAwait(false);
            return socket;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"connecting to {Format(address, port)} timed out after {timeout.TotalSeconds:0.#} s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public static string Format(IPAddress address, int port) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]:{port}" : $"{address}:{port}";
}
