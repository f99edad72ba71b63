using System.Net;
using System.Net.Sockets;

namespace MonitorService.Web.Security;

/// <summary>The client address rate limits count by: after forwarded headers from configured proxies, if any.</summary>
public static class ClientAddress
{
    /// <summary>
    /// IPv4 addresses as they are; IPv6 addresses by their /64, since one subscriber usually holds a whole /64 and
    /// could otherwise use a fresh address for every request.
    /// </summary>
    public static string Key(HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
