using System.Globalization;
using MonitorService.Checks.Model;
using MonitorService.Monitoring.Drift;
using MonitorService.Testing.Dns;
using MonitorService.Tests.Infrastructure;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Monitoring;

/// <summary>
/// A new id that only some authoritative servers serve, from real checks: the recursive test server delegates the zone
/// to two loopback name servers, one of which misses the update.
/// </summary>
[Collection(PostgresCollection.Name)]
public class NameServerDriftTests(PostgresFixture postgres)
{
    private const string Ns1 = "ns1.example.test";
    private const string Ns2 = "ns2.example.test";

    private static void Publish(TestDnsZone zone, string id)
    {
        zone.Remove($"_mta-sts.{Domain}", "TXT");
        zone.AddTxt($"_mta-sts.{Domain}", $"v=STSv1; id={id}");
        zone.AddA(PolicyHost, PolicyIp.ToString());
        zone.Remove(Domain, "MX");
        zone.AddMx(Domain, 10, Mx1).AddMx(Domain, 20, Mx2);
    }

    [Fact]
    public async Task A_new_id_served_by_only_some_name_servers_is_not_yet_published_and_names_the_stale_server()
    {
        await using var servers = AuthoritativeServers.Start(Domain, 2026113001, Ns1, Ns2).Publish(z => Publish(z, "20260101"));
        await using var h = await MonitorHarness.StartAsync(postgres, "drift_ns_split",
            new() { ["Checks:AuthoritativeDnsPort"] = servers.Port.ToString(CultureInfo.InvariantCulture), ["Checks:SkipSmtp"] = "true" });
        servers.DelegateFrom(h.Env.Zone);
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);

        h.Clock.Advance(TimeSpan.FromHours(1));
        // The primary (ns1) and the resolver's view have the new id; the secondary ns2 did not transfer.
        Publish(h.Env.Zone, "20260105");
        Publish(servers.Server(Ns1).Zone.SetSoa(Domain, 2026113002), "20260105");
        var result = await h.CheckAsync(id);

        var e = Assert.Single(result.Events, e => e.Code == DriftCodes.IdNotYetPublished);
        Assert.Equal((Severity.Warning, "20260105"), (e.Severity, e.Subject));
        Assert.Contains("not yet published on every name server", e.Message, StringComparison.Ordinal);
        Assert.Contains("ns2.example.test (127.0.0.42, SOA serial 2026113001) still serves \"20260101\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("ns1.example.test (127.0.0.41, SOA serial 2026113002) serves it", e.Message, StringComparison.Ordinal);
        Assert.Contains("Make ns2.example.test transfer the zone", e.Fix, StringComparison.Ordinal);
        // Not announced as a plain id change: most senders behind ns2 never see it.
        Assert.DoesNotContain(result.Events, x => x.Code is DriftCodes.TxtIdChanged or DriftCodes.PolicyChanged or DriftCodes.StaleId);
        Assert.Contains(result.Report.Findings, f => f.Code == FindingCodes.NameServerStaleId && f.Subject == Ns2);
    }

    [Fact]
    public async Task A_new_id_every_name_server_serves_is_a_plain_id_change()
    {
        await using var servers = AuthoritativeServers.Start(Domain, 2026113001, Ns1, Ns2).Publish(z => Publish(z, "20260101"));
        await using var h = await MonitorHarness.StartAsync(postgres, "drift_ns_all",
            new() { ["Checks:AuthoritativeDnsPort"] = servers.Port.ToString(CultureInfo.InvariantCulture), ["Checks:SkipSmtp"] = "true" });
        servers.DelegateFrom(h.Env.Zone);
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);

        h.Clock.Advance(TimeSpan.FromHours(1));
        Publish(h.Env.Zone, "20260105");
        servers.Publish(z => Publish(z.SetSoa(Domain, 2026113002), "20260105"));
        var result = await h.CheckAsync(id);

        Assert.Equal([DriftCodes.TxtIdChanged], result.Events.Select(x => x.Code));
    }
}
