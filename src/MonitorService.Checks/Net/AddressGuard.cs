using System.Net;
using System.Net.Sockets;

namespace MonitorService.Checks.Net;

/// <summary>
/// Decides which addresses the engine may connect to. Everything a checked domain publishes is attacker-controlled,
/// so by default we refuse every address that is not on the public internet (<see cref="AddressClass"/>): loopback,
/// private, link-local (cloud metadata), carrier-grade NAT, unique-local, multicast, documentation and reserved
/// ranges. IPv6 forms that carry an IPv4 address to a translator are judged by that IPv4 address.
/// </summary>
public sealed class AddressGuard(bool allowPrivateAddresses)
{
    public bool AllowsPrivateAddresses => allowPrivateAddresses;

    public bool IsAllowed(IPAddress address) => Classify(address) switch
    {
        AddressClass.Public => true,
        // Nothing sensible listens on these even when private targets are allowed.
        AddressClass.Unspecified or AddressClass.Multicast => false,
        _ => allowPrivateAddresses,
    };

    public static bool IsPublic(IPAddress address) => Classify(address) == AddressClass.Public;

    public static AddressClass Classify(IPAddress address) => address.AddressFamily switch
    {
        AddressFamily.InterNetwork => ClassifyV4(address.GetAddressBytes()),
        AddressFamily.InterNetworkV6 => ClassifyV6(address.GetAddressBytes()),
        _ => AddressClass.Reserved,
    };

    private static AddressClass ClassifyV4(ReadOnlySpan<byte> b) => b switch
    {
        [0, 0, 0, 0] => AddressClass.Unspecified,
        [0, ..] => AddressClass.Reserved,                                  // "this network"
        [10, ..] => AddressClass.Private,
        [100, >= 64 and <= 127, ..] => AddressClass.CarrierGradeNat,
        [127, ..] => AddressClass.Loopback,
        [169, 254, ..] => AddressClass.LinkLocal,
        [172, >= 16 and <= 31, ..] => AddressClass.Private,
        [192, 0, 0, _] => AddressClass.Reserved,                           // IETF protocol assignments
        [192, 0, 2, _] => AddressClass.Documentation,                      // TEST-NET-1
        [192, 88, 99, _] => AddressClass.Reserved,                         // 6to4 relay anycast, deprecated
        [192, 168, ..] => AddressClass.Private,
        [198, 18 or 19, ..] => AddressClass.Benchmarking,
        [198, 51, 100, _] => AddressClass.Documentation,                   // TEST-NET-2
        [203, 0, 113, _] => AddressClass.Documentation,                    // TEST-NET-3
        [>= 224 and <= 239, ..] => AddressClass.Multicast,
        [>= 240, ..] => AddressClass.Reserved,                             // reserved and broadcast
        _ => AddressClass.Public,
    };

    private static AddressClass ClassifyV6(byte[] b)
    {
        if (EmbeddedV4(b) is { } v4)
            return v4;
        if (b.AsSpan(0, 15).IndexOfAnyExcept((byte)0) < 0)
            return b[15] switch { 0 => AddressClass.Unspecified, 1 => AddressClass.Loopback, _ => AddressClass.Reserved };
        return b switch
        {
            [0xff, ..] => AddressClass.Multicast,
            [0xfe, >= 0x80 and <= 0xbf, ..] => AddressClass.LinkLocal,
            [0xfe, >= 0xc0, ..] => AddressClass.Private,                   // site-local, deprecated
            [0xfc or 0xfd, ..] => AddressClass.UniqueLocal,
            [0x20, 0x01, 0x0d, 0xb8, ..] => AddressClass.Documentation,
            [0x3f, 0xff, < 0x10, ..] => AddressClass.Documentation,        // 3fff::/20
            [0x20, 0x01, 0x00, 0x02, 0x00, 0x00, ..] => AddressClass.Benchmarking,
            [0x20, 0x01, <= 0x01, ..] => AddressClass.Reserved,            // 2001::/23 IETF protocol assignments
            [>= 0x20 and <= 0x3f, ..] => AddressClass.Public,              // 2000::/3, the only global unicast space
            _ => AddressClass.Reserved,
        };
    }

    /// <summary>
    /// IPv6 forms whose packets end up at an embedded IPv4 address, judged by the worse of what they carry: mapped
    /// (::ffff:a.b.c.d), translated (::ffff:0:a.b.c.d, RFC 2765), compatible (::a.b.c.d), NAT64 (64:ff9b::/96 and
    /// the local-use 64:ff9b:1::/48 in its /96 form, RFC 6052/8215; other local-use forms are refused as reserved),
    /// 6to4 (2002::/16) and Teredo (2001::/32: the server, and the client stored inverted in the last 32 bits).
    /// </summary>
    private static AddressClass? EmbeddedV4(byte[] b)
    {
        var s = b.AsSpan();
        if (s[..10].IndexOfAnyExcept((byte)0) < 0 && s[10] == 0xff && s[11] == 0xff)
            return ClassifyV4(s[12..]);
        if (s[..8].IndexOfAnyExcept((byte)0) < 0 && s[8] == 0xff && s[9] == 0xff && s[10] == 0 && s[11] == 0)
            return ClassifyV4(s[12..]);
        if (s[..12].IndexOfAnyExcept((byte)0) < 0 && (s[12] | s[13] | s[14]) != 0)
            return ClassifyV4(s[12..]);
        if (s is [0x00, 0x64, 0xff, 0x9b, ..])
        {
            var wellKnown = s[4..12].IndexOfAnyExcept((byte)0) < 0;
            var localUse96 = s[4] == 0 && s[5] == 1 && s[6..12].IndexOfAnyExcept((byte)0) < 0;
            return wellKnown || localUse96 ? ClassifyV4(s[12..]) : AddressClass.Reserved;
        }
        if (s is [0x20, 0x02, ..])
            return ClassifyV4(s[2..6]);
        if (s is [0x20, 0x01, 0x00, 0x00, ..])
        {
            var server = ClassifyV4(s[4..8]);
            Span<byte> client = stackalloc byte[4];
            for (var i = 0; i < 4; i++)
                client[i] = (byte)~s[12 + i];
            var clientClass = ClassifyV4(client);
            return server != AddressClass.Public ? server : clientClass;
        }
        return null;
    }
}
