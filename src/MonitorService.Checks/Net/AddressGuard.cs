using System.Net;
using System.Net.Sockets;

namespace MonitorService.Checks.Net;

/// <summary>
/// Decides which addresses the engine may connect to. Everything a checked domain publishes is attacker-controlled,
/// so by default we refuse addresses that would reach into the network the service runs in: loopback, private,
/// link-local, carrier-grade NAT, unique-local, multicast and reserved ranges.
/// </summary>
public sealed class AddressGuard(bool allowPrivateAddresses)
{
    public bool AllowsPrivateAddresses => allowPrivateAddresses;

    public bool IsAllowed(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        // Nothing sensible listens on these even when private targets are allowed.
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || IsMulticast(address))
            return false;
        return allowPrivateAddresses || IsPublic(address);
    }

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (IsMulticast(address))
            return false;
        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => IsPublicV4(address.GetAddressBytes()),
            AddressFamily.InterNetworkV6 => IsPublicV6(address),
            _ => false,
        };
    }

    private static bool IsMulticast(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork
        ? address.GetAddressBytes()[0] is >= 224 and <= 239
        : address.IsIPv6Multicast;

    private static bool IsPublicV4(byte[] b) => !(
        b[0] == 0 ||                                   // "this" network
        b[0] == 10 ||                                  // private
        b[0] == 127 ||                                 // loopback
        (b[0] == 100 && b[1] >= 64 && b[1] <= 127) ||  // carrier-grade NAT
        (b[0] == 169 && b[1] == 254) ||                // link-local (cloud metadata lives here)
        (b[0] == 172 && b[1] >= 16 && b[1] <= 31) ||   // private
        (b[0] == 192 && b[1] == 0 && b[2] == 0) ||     // IETF protocol assignments
        (b[0] == 192 && b[1] == 168) ||                // private
        (b[0] == 198 && (b[1] == 18 || b[1] == 19)) || // benchmarking
        b[0] >= 240);                                  // reserved and broadcast

    private static bool IsPublicV6(IPAddress address)
    {
        if (address.Equals(IPAddress.IPv6Loopback) || address.Equals(IPAddress.IPv6None))
            return false;
        if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal)
            return false;
        var b = address.GetAddressBytes();
        // IPv4-compatible (::a.b.c.d), NAT64 well-known prefix and 6to4 embed an IPv4 address: judge that one.
        if (b.Take(12).All(x => x == 0))
            return IsPublicV4(b[12..]);
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b)
            return IsPublicV4(b[12..]);
        if (b[0] == 0x20 && b[1] == 0x02)
            return IsPublicV4(b[2..6]);
        return true;
    }
}
