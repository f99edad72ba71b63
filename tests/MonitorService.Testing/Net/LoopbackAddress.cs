using System.Net;
using System.Net.Sockets;

namespace MonitorService.Testing;

/// <summary>Guards that fixtures only ever bind to or connect to IPv4 loopback addresses (127.0.0.0/8).</summary>
public static class LoopbackAddress
{
    /// <summary>True when <paramref name="address"/> is an IPv4 address in 127.0.0.0/8.</summary>
    public static bool IsLoopbackV4(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == AddressFamily.InterNetwork && address.GetAddressBytes()[0] == 127;
    }

    /// <summary>Returns the address unchanged, or throws when it is not in 127.0.0.0/8.</summary>
    public static IPAddress Require(IPAddress address)
    {
        if (!IsLoopbackV4(address))
        {
            throw new ArgumentException($"Test fixtures may only use 127.0.0.0/8 addresses, got {address}.", nameof(address));
        }

        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    /// <summary>Parses and validates a loopback address such as "127.0.0.20".</summary>
    public static IPAddress Parse(string address) => Require(IPAddress.Parse(address));

    /// <summary>Validates a non-empty, distinct list of loopback addresses.</summary>
    public static IReadOnlyList<IPAddress> RequireAll(IEnumerable<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var list = addresses.Select(Require).Distinct().ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException("At least one loopback address is required.", nameof(addresses));
        }

        return list;
    }
}
