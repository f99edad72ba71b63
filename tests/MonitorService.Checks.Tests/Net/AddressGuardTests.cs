using System.Net;
using MonitorService.Checks.Net;

namespace MonitorService.Checks.Tests.Net;

public class AddressGuardTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.5.6.7")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")] // cloud metadata endpoint
    [InlineData("100.64.0.1")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("::1")]
    [InlineData("fe80::1")]
    [InlineData("fd00::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("64:ff9b::a00:1")] // NAT64 of 10.0.0.1
    [InlineData("2002:a00:1::1")]   // 6to4 of 10.0.0.1
    public void Refuses_non_public_addresses_by_default(string address) =>
        Assert.False(new AddressGuard(allowPrivateAddresses: false).IsAllowed(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946")]
    [InlineData("::ffff:93.184.216.34")]
    public void Allows_public_addresses(string address) =>
        Assert.True(new AddressGuard(allowPrivateAddresses: false).IsAllowed(IPAddress.Parse(address)));

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.0.0.1", true)]
    [InlineData("0.0.0.0", false)]
    [InlineData("239.1.1.1", false)]
    public void Private_targets_are_allowed_only_when_configured(string address, bool allowed) =>
        Assert.Equal(allowed, new AddressGuard(allowPrivateAddresses: true).IsAllowed(IPAddress.Parse(address)));
}
