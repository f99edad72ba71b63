using MonitorService.Checks.Model;
using MonitorService.Monitoring;
using MonitorService.Output;
using MonitorService.Storage.Snapshots;
using MonitorService.Testing;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Monitoring;

/// <summary>What the monitor keeps of a check that met internal addresses: their class, never the addresses themselves.</summary>
public class BlockedAddressStorageTests
{
    [Fact]
    public async Task Blocked_addresses_are_reported_by_their_class_and_never_stored_literally()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.AddA(Mx2, "10.20.30.40").AddA(Mx2, "192.0.2.10").AddAaaa(Mx2, "64:ff9b::a9fe:a9fe");

        var report = await env.CheckAsync(o => o.AllowPrivateAddresses = false);

        Assert.EndsWith("(a loopback address); the check refused to connect. Public senders cannot reach it either.",
            Blocked(report, PolicyHost), StringComparison.Ordinal);
        Assert.Contains("(a loopback address)", Blocked(report, Mx1), StringComparison.Ordinal);
        Assert.Contains("(a private address, a loopback address, a documentation address, a link-local address)",
            Blocked(report, Mx2), StringComparison.Ordinal);
        Assert.Equal(["blocked: a loopback address"], report.Mx.Single(m => m.Host == Mx1).Addresses);
        Assert.Equal(4, report.Mx.Single(m => m.Host == Mx2).Addresses.Count);
        // Neither the report (JSON) nor what the monitor stores of it names an internal address.
        var stored = string.Join("\n", CheckSnapshot.Of(report).Parts.OfType<SnapshotPart>().Select(p => p.Content).Append(ReportJson.Serialize(report)));
        foreach (var literal in new[] { Mx1Ip.ToString(), Mx2Ip.ToString(), PolicyIp.ToString(), "10.20.30.40", "192.0.2.10", "64:ff9b::a9fe:a9fe" })
            Assert.DoesNotContain(literal, stored, StringComparison.Ordinal);
    }

    private static string Blocked(CheckReport report, string host) =>
        Assert.Single(report.Findings, f => f.Code == FindingCodes.NetAddressBlocked && f.Subject == host).Message;
}
