using MonitorService.Checks.Model;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Checks.Tests.Integration;

/// <summary>A registered domain can point its names anywhere: by default the check must not connect inside our network.</summary>
public class AddressGuardCheckTests
{
    [Fact]
    public async Task Without_permission_no_connection_reaches_a_loopback_server()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();

        var report = await env.CheckAsync(o => o.AllowPrivateAddresses = false);

        Assert.Equal(Severity.Error, report.Single(FindingCodes.NetAddressBlocked, PolicyHost).Severity);
        report.Single(FindingCodes.NetAddressBlocked, Mx1);
        report.Single(FindingCodes.NetAddressBlocked, Mx2);
        report.Lacks(FindingCodes.PolicyUnreachable);
        // Asserted on the server side: not a single TCP connection arrived.
        Assert.False(env.Https.WasContacted(PolicyIp));
        Assert.Empty(env.Https.Connections);
        Assert.Empty(env.Smtp.Connections);
    }
}
