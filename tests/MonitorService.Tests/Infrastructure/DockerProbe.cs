using System.Net.Sockets;
using System.Text;

namespace MonitorService.Tests.Infrastructure;

/// <summary>
/// Answers "does a Docker engine answer here?" in well under a second, without touching Testcontainers
/// (which would throw DockerUnavailableException after about a second).
/// Looks at DOCKER_HOST (unix:// or tcp://), else /var/run/docker.sock and $XDG_RUNTIME_DIR/docker.sock (rootless).
/// A unix socket must answer GET /_ping; a tcp endpoint must accept a connection.
/// </summary>
public static class DockerProbe
{
    public static bool IsDockerAvailable(TimeSpan? timeout = null)
    {
        var budget = timeout ?? TimeSpan.FromMilliseconds(500);
        var dockerHost = Environment.GetEnvironmentVariable("DOCKER_HOST");
        if (!string.IsNullOrWhiteSpace(dockerHost))
        {
            if (dockerHost.StartsWith("unix://", StringComparison.Ordinal))
            {
                return PingUnixSocket(dockerHost["unix://".Length..], budget);
            }
            if (Uri.TryCreate(dockerHost, UriKind.Absolute, out var uri) && uri.Scheme is "tcp" or "http" or "https")
            {
                return CanConnectTcp(uri.Host, uri.Port > 0 ? uri.Port : 2375, budget);
            }
            return false;
        }

        var candidates = new List<string> { "/var/run/docker.sock" };
        var runtimeDir = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (!string.IsNullOrEmpty(runtimeDir))
        {
            candidates.Add(Path.Combine(runtimeDir, "docker.sock"));
        }
        return candidates.Any(path => File.Exists(path) && PingUnixSocket(path, budget));
    }

    private static bool PingUnixSocket(string path, TimeSpan budget)
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            using var cts = new CancellationTokenSource(budget);
            socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cts.Token).AsTask().GetAwaiter().GetResult();
            socket.SendTimeout = socket.ReceiveTimeout = (int)budget.TotalMilliseconds;
            socket.Send(Encoding.ASCII.GetBytes("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"));
            var buffer = new byte[256];
            var read = socket.Receive(buffer);
            var response = Encoding.ASCII.GetString(buffer, 0, read);
            return response.StartsWith("HTTP/1.", StringComparison.Ordinal) && response.Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            return false;
        }
    }

    private static bool CanConnectTcp(string host, int port, TimeSpan budget)
    {
        try
        {
            using var client = new TcpClient();
            using var cts = new CancellationTokenSource(budget);
            client.ConnectAsync(host, port, cts.Token).AsTask().GetAwaiter().GetResult();
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
