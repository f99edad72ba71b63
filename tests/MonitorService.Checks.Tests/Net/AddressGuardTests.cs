using System.Net;
using MonitorService.Checks.Net;

namespace MonitorService.Checks.Tests.Net;

public class AddressGuardTests
{
    public static TheoryData<string, AddressClass> Classes => new()
    {
        { "93.184.216.34", AddressClass.Public },
        { "172.32.0.1", AddressClass.Public },
        { "100.128.0.1", AddressClass.Public },
        { "192.0.3.1", AddressClass.Public },
        { "2606:2800:220:1:248:1893:25c8:1946", AddressClass.Public },
        { "0.0.0.0", AddressClass.Unspecified },
        { "::", AddressClass.Unspecified },
        { "0.1.2.3", AddressClass.Reserved },
        { "127.0.0.1", AddressClass.Loopback },
        { "127.5.6.7", AddressClass.Loopback },
        { "::1", AddressClass.Loopback },
        { "10.1.2.3", AddressClass.Private },
        { "172.16.0.1", AddressClass.Private },
        { "172.31.255.255", AddressClass.Private },
        { "192.168.1.1", AddressClass.Private },
        { "fec0::1", AddressClass.Private },
        { "169.254.169.254", AddressClass.LinkLocal }, // cloud metadata endpoint
        { "fe80::1", AddressClass.LinkLocal },
        { "100.64.0.1", AddressClass.CarrierGradeNat },
        { "fd00::1", AddressClass.UniqueLocal },
        { "fc00::1", AddressClass.UniqueLocal },
        { "224.0.0.1", AddressClass.Multicast },
        { "239.255.255.250", AddressClass.Multicast },
        { "ff02::1", AddressClass.Multicast },
        { "192.0.2.10", AddressClass.Documentation },
        { "198.51.100.7", AddressClass.Documentation },
        { "203.0.113.200", AddressClass.Documentation },
        { "2001:db8::25", AddressClass.Documentation },
        { "3fff:abc::1", AddressClass.Documentation },
        { "198.18.0.1", AddressClass.Benchmarking },
        { "198.19.255.255", AddressClass.Benchmarking },
        { "2001:2::1", AddressClass.Benchmarking },
        { "192.0.0.8", AddressClass.Reserved },
        { "192.88.99.1", AddressClass.Reserved },
        { "240.0.0.1", AddressClass.Reserved },
        { "255.255.255.255", AddressClass.Reserved },
        { "100::1", AddressClass.Reserved },             // discard-only
        { "4000::1", AddressClass.Reserved },            // outside 2000::/3
        { "2001:10::1", AddressClass.Reserved },         // ORCHID, in 2001::/23
        // IPv4 inside IPv6: judged by the IPv4 address.
        { "::ffff:127.0.0.1", AddressClass.Loopback },   // mapped
        { "::ffff:10.0.0.1", AddressClass.Private },
        { "::ffff:93.184.216.34", AddressClass.Public },
        { "::ffff:0:10.0.0.1", AddressClass.Private },   // translated, RFC 2765
        { "::ffff:0:169.254.169.254", AddressClass.LinkLocal },
        { "::ffff:0:93.184.216.34", AddressClass.Public },
        { "::10.0.0.1", AddressClass.Private },          // compatible
        { "64:ff9b::a00:1", AddressClass.Private },      // NAT64 well-known prefix
        { "64:ff9b::a9fe:a9fe", AddressClass.LinkLocal },
        { "64:ff9b::5db8:d822", AddressClass.Public },
        { "64:ff9b:1::a00:1", AddressClass.Private },    // local-use NAT64, RFC 8215, /96 form
        { "64:ff9b:1::7f00:1", AddressClass.Loopback },
        { "64:ff9b:1::5db8:d822", AddressClass.Public },
        { "64:ff9b:1:a00:1::", AddressClass.Reserved },  // another local-use form: not unwrapped, refused
        { "64:ff9b:2::5db8:d822", AddressClass.Reserved },
        { "2002:a00:1::1", AddressClass.Private },       // 6to4
        { "2002:5db8:d822::1", AddressClass.Public },
        { "2001:0:4136:e378:8000:63bf:f5ff:fffe", AddressClass.Private },  // Teredo, client 10.0.0.1 (inverted)
        { "2001:0:4136:e378:8000:63bf:80ff:fffe", AddressClass.Loopback }, // Teredo, client 127.0.0.1
        { "2001:0:a00:1:8000:63bf:a247:27dd", AddressClass.Private },       // Teredo, server 10.0.0.1
        { "2001:0:4136:e378:8000:63bf:a247:27dd", AddressClass.Public },    // Teredo, both public
    };

    [Theory]
    [MemberData(nameof(Classes))]
    public void Classifies_addresses(string address, AddressClass expected) =>
        Assert.Equal(expected, AddressGuard.Classify(IPAddress.Parse(address)));

    [Theory]
    [MemberData(nameof(Classes))]
    public void Allows_only_public_addresses_by_default(string address, AddressClass @class) =>
        Assert.Equal(@class == AddressClass.Public, new AddressGuard(allowPrivateAddresses: false).IsAllowed(IPAddress.Parse(address)));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.0.0.1", true)]
    [InlineData("192.0.2.1", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("::", false)]
    [InlineData("239.1.1.1", false)]
    [InlineData("ff02::1", false)]
    public void Private_targets_are_allowed_only_when_configured(string address, bool allowed) =>
        Assert.Equal(allowed, new AddressGuard(allowPrivateAddresses: true).IsAllowed(IPAddress.Parse(address)));
}
