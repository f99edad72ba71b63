using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace MonitorService.Testing;

/// <summary>
/// Finds one TCP port that is free on several loopback addresses: a probe listener on port 0 picks a port,
/// it is released, then the caller binds every address to it. A conflict (another process grabbed the port,
/// or it is taken on one of the other addresses) makes the whole start be retried with a fresh port.
/// </summary>
public static class SharedPort
{
    private const int MaxAttempts = 25;

    /// <summary>Returns a port that was free on <paramref name="probeAddress"/> a moment ago.</summary>
    public static int Probe(IPAddress probeAddress)
    {
        var listener = new TcpListener(LoopbackAddress.Require(probeAddress), 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
            listener.Dispose();
        }
    }

    /// <summary>
    /// Calls <paramref name="start"/> with candidate ports until it succeeds without an address-in-use error.
    /// <paramref name="start"/> must clean up anything it bound before throwing.
    /// </summary>
    public static async Task<T> StartWithRetryAsync<T>(IReadOnlyList<IPAddress> addresses, Func<int, Task<T>> start)
    {
        ArgumentNullException.ThrowIfNull(start);
        Exception? last = null;
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var port = Probe(addresses[0]);
            try
            {
                return await start(port).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsAddressInUse(ex))
            {
                last = ex;
            }
        }

        throw new IOException($"Could not find a port free on all of {string.Join(", ", addresses)}.", last);
    }

    private static bool IsAddressInUse(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is AddressInUseException
                || ex is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }
                || (ex is IOException && ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }
}
