using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace MonitorService.Benchmarks.Engine;

/// <summary>
/// The network work of a policy fetch and a STARTTLS probe with nothing else: connect, TLS handshake (any
/// certificate accepted, none inspected), the fewest bytes the protocol needs, replies read but not parsed.
/// </summary>
public static class RawTls
{
    public static async Task HttpsGetAsync(IPAddress address, int port, string host, CancellationToken ct)
    {
        using var socket = await ConnectAsync(address, port, ct);
        await using var tls = new SslStream(new NetworkStream(socket, ownsSocket: false));
        await tls.AuthenticateAsClientAsync(Options(host), ct);
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"), ct);
        var buffer = new byte[4096];
        while (await tls.ReadAsync(buffer, ct) > 0)
        {
        }
    }

    public static async Task StartTlsAsync(IPAddress address, int port, string host, CancellationToken ct)
    {
        using var socket = await ConnectAsync(address, port, ct);
        await using var plain = new NetworkStream(socket, ownsSocket: false);
        var buffer = new byte[4096];
        await ReplyAsync(plain, buffer, ct); // greeting
        await CommandAsync(plain, "EHLO monitor.invalid", buffer, ct);
        await CommandAsync(plain, "STARTTLS", buffer, ct);
        await using var tls = new SslStream(plain, leaveInnerStreamOpen: true);
        await tls.AuthenticateAsClientAsync(Options(host), ct);
        await CommandAsync(tls, "EHLO monitor.invalid", buffer, ct);
        await CommandAsync(tls, "QUIT", buffer, ct);
    }

    private static SslClientAuthenticationOptions Options(string host) => new()
    {
        TargetHost = host,
        CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck,
        RemoteCertificateValidationCallback = (_, _, _, _) => true,
    };

    private static async Task<Socket> ConnectAsync(IPAddress address, int port, CancellationToken ct)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(address, port), ct);
        return socket;
    }

    private static async Task CommandAsync(Stream stream, string command, byte[] buffer, CancellationToken ct)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), ct);
        await ReplyAsync(stream, buffer, ct);
    }

    /// <summary>Reads until the last line of a (multi-line) SMTP reply: "NNN " at a line start.</summary>
    private static async Task ReplyAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total), ct);
            if (read == 0)
                return;
            total += read;
            if (IsComplete(buffer.AsSpan(0, total)))
                return;
        }
    }

    private static bool IsComplete(ReadOnlySpan<byte> reply)
    {
        if (reply.Length < 2 || reply[^2] != '\r' || reply[^1] != '\n')
            return false;
        var lastLine = reply[..^2].LastIndexOf((byte)'\n') + 1;
        return reply.Length - lastLine >= 4 && reply[lastLine + 3] == ' ';
    }
}
