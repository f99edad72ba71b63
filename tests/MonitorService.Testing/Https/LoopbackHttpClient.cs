using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace MonitorService.Testing;

/// <summary>
/// HttpClient factory for tests: every connection goes to a chosen loopback IP whatever the URL's host says
/// (so the host still drives SNI and the Host header), TLS trusts only the test CA, redirects are not followed.
/// </summary>
public static class LoopbackHttpClient
{
    public static HttpClient Create(IPAddress connectTo, TestCertificateAuthority authority, TimeSpan timeout) =>
        Create(_ => connectTo, authority, timeout);

    /// <param name="resolve">Maps the URL host name to the loopback IP to connect to.</param>
    public static HttpClient Create(Func<string, IPAddress> resolve, TestCertificateAuthority authority, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(resolve);
        ArgumentNullException.ThrowIfNull(authority);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectTimeout = timeout,
            ConnectCallback = async (context, token) =>
            {
                var address = LoopbackAddress.Require(resolve(context.DnsEndPoint.Host));
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = authority.CreateValidationCallback(),
            },
        };
        return new HttpClient(handler) { Timeout = timeout };
    }
}
