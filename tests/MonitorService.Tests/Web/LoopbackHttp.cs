using System.Net;
using System.Net.Sockets;

namespace MonitorService.Tests.Web;

/// <summary>
/// HTTP clients that connect from a chosen loopback address (127.0.0.2, 127.0.0.3, ...): to the service they are
/// different client addresses, or a proxy and a client, without leaving 127.0.0.0/8.
/// </summary>
public static class LoopbackHttp
{
    public static SocketsHttpHandler Handler(IPAddress? from, CookieContainer? cookies = null)
    {
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = cookies is not null };
        if (cookies is not null)
            handler.CookieContainer = cookies;
        if (from is not null)
        {
            Assert.True(IPAddress.IsLoopback(from), $"{from} is not a loopback address");
            handler.ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }
        return handler;
    }
}
