using MonitorService.Checks.Model;
using MonitorService.Monitoring;
using MonitorService.Output;
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

    [Fact]
    public async Task Blocked_addresses_are_reported_by_their_class_and_never_stored_literally()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.AddA(Mx2, "10.20.30.40").AddA(Mx2, "192.0.2.10").AddAaaa(Mx2, "64:ff9b::a9fe:a9fe");

        var report = await env.CheckAsync(o => o.AllowPrivateAddresses = false);

        Assert.EndsWith("(a loopback address); the check refused to connect. Public senders cannot reach it either.",
            report.Single(FindingCodes.NetAddressBlocked, PolicyHost).Message, StringComparison.Ordinal);
        Assert.Contains("(a loopback address)", report.Single(FindingCodes.NetAddressBlocked, Mx1).Message, StringComparison.Ordinal);
        Assert.Contains("(a private address, a loopback address, a documentation address, a link-local address)",
            report.Single(FindingCodes.NetAddressBlocked, Mx2).Message, StringComparison.Ordinal);
        Assert.Equal(["blocked: a loopback address"], report.Mx.Single(m => m.Host == Mx1).Addresses);
        Assert.Equal(4, report.Mx.Single(m => m.Host == Mx2).Addresses.Count);
        // Neither the report (JSON) nor what the monitor stores of it names an internal address.
        var stored = string.Join("\n", CheckSnapshot.Of(report).Parts.OfType<SnapshotPart>().Select(p => p.Content).Append(ReportJson.Serialize(report)));
        foreach (var literal in new[] { Mx1Ip.ToString(), Mx2Ip.ToString(), PolicyIp.ToString(), "10.20.30.40", "192.0.2.10", "64:ff9b::a9fe:a9fe" })
            Assert.DoesNotContain(literal, stored, StringComparison.Ordinal);
    }
}
