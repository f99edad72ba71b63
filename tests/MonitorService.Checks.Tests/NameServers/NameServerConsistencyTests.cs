using System.Diagnostics;
using MonitorService.Checks.Model;
using MonitorService.Checks.Tests.Integration;
using MonitorService.Testing.Dns;

namespace MonitorService.Checks.Tests.NameServers;

/// <summary>
/// Name-server consistency against real loopback DNS servers: the recursive test server delegates example.test to
/// authoritative servers on 127.0.0.41, .42, ... (one shared port), which the engine asks directly.
/// </summary>
public class NameServerConsistencyTests
{
    private const string Ns1 = "ns1.example.test";
    private const string Ns2 = "ns2.example.test";
    private const ushort TlsaType = 52;

    private static void HealthyRecords(TestDnsZone zone, string id = "20260101")
    {
        zone.AddTxt($"_mta-sts.{CheckEnvironment.Domain}", $"v=STSv1; id={id}");
        zone.AddA(CheckEnvironment.PolicyHost, CheckEnvironment.PolicyIp.ToString());
        zone.AddMx(CheckEnvironment.Domain, 10, CheckEnvironment.Mx1).AddMx(CheckEnvironment.Domain, 20, CheckEnvironment.Mx2);
        zone.AddA(CheckEnvironment.Mx1, CheckEnvironment.Mx1Ip.ToString()).AddA(CheckEnvironment.Mx2, CheckEnvironment.Mx2Ip.ToString());
        zone.AddTxt($"_smtp._tls.{CheckEnvironment.Domain}", "v=TLSRPTv1; rua=mailto:tlsrpt@example.test");
    }

    private static Task<CheckReport> CheckAsync(CheckEnvironment env, AuthoritativeServers servers, Action<CheckOptions>? adjust = null) =>
        env.CheckAsync(o =>
        {
            o.AuthoritativeDnsPort = servers.Port;
            o.SkipSmtp = true;
            adjust?.Invoke(o);
        });

    [Fact]
    public async Task Two_servers_that_agree_are_reported_with_their_serials_and_an_info_finding()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        await using var servers = AuthoritativeServers.Start(env.Zone, CheckEnvironment.Domain, 2026113002, Ns1, Ns2).Publish(z => HealthyRecords(z));

        var report = await CheckAsync(env, servers);

        report.HasNoProblems();
        var info = report.Single(FindingCodes.NameServersConsistent);
        Assert.Contains("2026113002", info.Message, StringComparison.Ordinal);
        var section = report.NameServers!;
        Assert.True(section.Consistent);
        Assert.Equal([new NameServerZoneReport(CheckEnvironment.Domain, [Ns1, Ns2])], section.Zones, new ZoneComparer());
        Assert.Equal([Ns1, Ns2], section.Servers.Select(s => s.Name));
        Assert.All(section.Servers, s =>
        {
            var answers = Assert.Single(s.Answers);
            Assert.Equal(("answered", 2026113002u, true), (answers.Status, answers.SoaSerial, answers.Agrees));
            var txt = Assert.Single(answers.Answers, a => a.Question == "_mta-sts.example.test TXT");
            Assert.Equal(["v=STSv1; id=20260101"], txt.Records);
            Assert.Contains(answers.Answers, a => a.Question == "example.test MX" && a.Records.SequenceEqual(["10 mx1.example.test", "20 mx2.example.test"]));
            Assert.Contains(answers.Answers, a => a.Question == "mta-sts.example.test A" && a.Records.SequenceEqual(["127.0.0.20"]));
            Assert.Contains(answers.Answers, a => a.Question == "_25._tcp.mx1.example.test TLSA" && a.Status == "no such name");
        });
        Assert.Equal(1, servers.Server(Ns1).QueryCount("_mta-sts.example.test", "TXT"));
        Assert.Equal(1, servers.Server(Ns2).QueryCount("_mta-sts.example.test", "TXT"));
    }

    [Fact]
    public async Task A_stale_server_serving_the_old_id_is_named_with_its_address_serial_and_id()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        await using var servers = AuthoritativeServers.Start(env.Zone, CheckEnvironment.Domain, 2026113002, Ns1, Ns2);
        HealthyRecords(servers.Server(Ns1).Zone, id: "20261130");
        HealthyRecords(servers.Server(Ns2).Zone.SetSoa(CheckEnvironment.Domain, 2026113001), id: "20260101");

        var report = await CheckAsync(env, servers);

        var stale = report.Single(FindingCodes.NameServerStaleId);
        Assert.Equal((Severity.Error, Ns2), (stale.Severity, stale.Subject));
        Assert.Contains("ns2.example.test (127.0.0.42, SOA serial 2026113001) serves id \"20260101\"", stale.Message, StringComparison.Ordinal);
        Assert.Contains("ns1.example.test (127.0.0.41, SOA serial 2026113002) serves id \"20261130\"", stale.Message, StringComparison.Ordinal);
        Assert.Contains("rndc retransfer example.test", stale.Fix, StringComparison.Ordinal);
        Assert.Contains("2026113002", stale.Fix, StringComparison.Ordinal);
        report.Lacks(FindingCodes.NameServersConsistent);
        Assert.False(report.NameServers!.Consistent);
        var (ns1, ns2) = (report.NameServers.Servers[0].Answers.Single(), report.NameServers.Servers[1].Answers.Single());
        Assert.Equal((true, false), (ns1.Agrees, ns2.Agrees));
        Assert.False(ns2.Answers.Single(a => a.Question == "_mta-sts.example.test TXT").Agrees);
        Assert.True(ns2.Answers.Single(a => a.Question == "example.test MX").Agrees);
    }

    [Fact]
    public async Task Servers_that_disagree_on_a_tlsa_record_are_an_error_about_that_name()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        await using var servers = AuthoritativeServers.Start(env.Zone, CheckEnvironment.Domain, 7, Ns1, Ns2).Publish(z => HealthyRecords(z));
        servers.Server(Ns1).Zone.AddRecord($"_25._tcp.{CheckEnvironment.Mx1}", TlsaType, [3, 1, 1, 0xaa, 0xbb]);
        servers.Server(Ns2).Zone.AddRecord($"_25._tcp.{CheckEnvironment.Mx1}", TlsaType, [3, 1, 1, 0xcc, 0xdd]);

        var report = await CheckAsync(env, servers);

        var finding = report.Single(FindingCodes.NameServersInconsistent, "_25._tcp.mx1.example.test");
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("\"3 1 1 aabb\"", finding.Message, StringComparison.Ordinal);
        Assert.Contains("\"3 1 1 ccdd\"", finding.Message, StringComparison.Ordinal);
        // Same serial, different data: not a transfer problem, two copies edited apart.
        Assert.Contains("not copies of the same zone version", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_refuses_is_lame_and_asked_nothing_more()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        await using var servers = AuthoritativeServers.Start(env.Zone, CheckEnvironment.Domain, 5, Ns1, Ns2).Publish(z => HealthyRecords(z));
        servers.Server(Ns2).Zone.SetBehavior(CheckEnvironment.Domain, DnsBehavior.Refused);

        var report = await CheckAsync(env, servers);

        var lame = report.Single(FindingCodes.NameServerLame, Ns2);
        Assert.Contains("ns2.example.test (127.0.0.42) refused the query (REFUSED)", lame.Message, StringComparison.Ordinal);
        Assert.Contains("remove `example.test. NS ns2.example.test.`", lame.Fix, StringComparison.Ordinal);
        Assert.Equal("refused", report.NameServers!.Servers[1].Answers.Single().Status);
        Assert.Equal(0, servers.Server(Ns2).QueryCount("_mta-sts.example.test", "TXT"));
        // The one server that answered agrees with itself: consistent, and said so.
        Assert.True(report.NameServers.Consistent);
        report.Single(FindingCodes.NameServersConsistent);
    }

    [Fact]
    public async Task A_server_that_answers_without_the_aa_bit_is_lame()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        await using var servers = AuthoritativeServers.Start(env.Zone, CheckEnvironment.Domain, 5, Ns1, Ns2).Publish(z => HealthyRecords(z));
        servers.Server(Ns2).Zone.Authoritative = false;

        var report = await CheckAsync(env, servers);

        Assert.Contains("without the AA bit", report.Single(FindingCodes.NameServerLame, Ns2).Message, StringComparison.Ordinal);
        Assert.Equal("not authoritative", report.NameServers!.Servers[1].Answers.Single().Status);
    }

    [Fact]
    public async Task A_server_that_never_answers_is_lame_within_its_time_limit_and_the_check_completes()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        await using var servers = AuthoritativeServers.Start(env.Zone, CheckEnvironment.Domain, 5, Ns1, Ns2).Publish(z => HealthyRecords(z));
        servers.Server(Ns2).Zone.SetBehavior(CheckEnvironment.Domain, DnsBehavior.Hang);

        var clock = Stopwatch.StartNew();
        var report = await CheckAsync(env, servers, o => o.TimeoutSeconds = 1);

        report.Lacks(FindingCodes.CheckTimeout);
        Assert.Contains("did not answer within 1 s", report.Single(FindingCodes.NameServerLame, Ns2).Message, StringComparison.Ordinal);
        Assert.Equal("no answer", report.NameServers!.Servers[1].Answers.Single().Status);
        // Generous bound (the check's own deadline is 8 s here): the silent server costs one query's limit, not one per question.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}");
        Assert.Equal(0, servers.Server(Ns2).QueryCount("_mta-sts.example.test", "TXT"));
    }

    [Fact]
    public async Task Fifty_ns_records_are_cut_to_the_cap_and_only_the_capped_servers_are_resolved_and_asked()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        await using var servers = AuthoritativeServers.Start(env.Zone, CheckEnvironment.Domain, 5, Ns1).Publish(z => HealthyRecords(z));
        var names = Enumerable.Range(0, 50).Select(i => $"ns-extra{i:00}.example.test").ToList();
        foreach (var name in names)
            env.Zone.AddNs(CheckEnvironment.Domain, name).AddA(name, servers.Address(Ns1).ToString());

        var report = await CheckAsync(env, servers, o => o.MaxNameServers = 8);

        Assert.Equal(8, report.NameServers!.Servers.Count);
        Assert.Equal(43, report.NameServers.NotAsked.Count);
        Assert.Contains("left out 43", report.Single(FindingCodes.CheckLimited, CheckEnvironment.Domain).Message, StringComparison.Ordinal);
        Assert.Equal(8, servers.Server(Ns1).QueryCount(CheckEnvironment.Domain, "SOA"));
        Assert.Equal(8, names.Append(Ns1).Sum(n => env.Dns.QueryCount(n, "A")));
    }

    [Fact]
    public async Task Server_addresses_the_guard_blocks_are_reported_and_never_contacted()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        await using var servers = AuthoritativeServers.Start(env.Zone, CheckEnvironment.Domain, 5, Ns1).Publish(z => HealthyRecords(z));
        const string evil = "evil.example.test";
        env.Zone.AddNs(CheckEnvironment.Domain, evil).AddA(evil, "0.0.0.0").AddA(evil, "224.0.0.251");

        var report = await CheckAsync(env, servers);

        var blocked = report.Single(FindingCodes.NetAddressBlocked, evil);
        Assert.Contains("(an unspecified address, a multicast address)", blocked.Message, StringComparison.Ordinal);
        var server = report.NameServers!.Servers.Single(s => s.Name == evil);
        Assert.Equal(["an unspecified address", "a multicast address"], server.Blocked);
        Assert.DoesNotContain("224.0.0.251", ReportAssertions.Describe(report), StringComparison.Ordinal);
        Assert.Empty(server.Answers);
        Assert.Single(report.NameServers.Servers.Single(s => s.Name == Ns1).Answers);
    }

    [Fact]
    public async Task A_zone_cut_at_the_policy_host_is_asked_of_its_own_servers()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        const string Ns3 = "ns3.example.test";
        await using var servers = AuthoritativeServers.Start(env.Zone, CheckEnvironment.Domain, 5, Ns1, Ns2, Ns3);
        // ns3 serves only the delegated mta-sts zone; ns1/ns2 serve only the parent.
        env.Zone.Clear(CheckEnvironment.Domain);
        env.Zone.AddMx(CheckEnvironment.Domain, 10, CheckEnvironment.Mx1).AddMx(CheckEnvironment.Domain, 20, CheckEnvironment.Mx2)
            .AddNs(CheckEnvironment.Domain, Ns1).AddNs(CheckEnvironment.Domain, Ns2).AddNs(CheckEnvironment.PolicyHost, Ns3);
        HealthyRecords(servers.Server(Ns1).Zone);
        HealthyRecords(servers.Server(Ns2).Zone);
        servers.Server(Ns3).Zone.SetSoa(CheckEnvironment.PolicyHost, 9).AddA(CheckEnvironment.PolicyHost, CheckEnvironment.PolicyIp.ToString());

        var report = await CheckAsync(env, servers);

        Assert.Equal([(CheckEnvironment.Domain, 2), (CheckEnvironment.PolicyHost, 1)], report.NameServers!.Zones.Select(z => (z.Zone, z.NameServers.Count)));
        var ns3 = report.NameServers.Servers.Single(s => s.Name == Ns3).Answers.Single();
        Assert.Equal((CheckEnvironment.PolicyHost, 9u), (ns3.Zone, ns3.SoaSerial));
        Assert.Equal(0, servers.Server(Ns1).QueryCount(CheckEnvironment.PolicyHost, "A"));
        Assert.Equal(1, servers.Server(Ns3).QueryCount(CheckEnvironment.PolicyHost, "A"));
        report.Single(FindingCodes.NameServersConsistent);
    }

    [Fact]
    public async Task Huge_answers_are_compared_whole_but_reported_cut_short()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        await using var servers = AuthoritativeServers.Start(env.Zone, CheckEnvironment.Domain, 5, Ns1, Ns2).Publish(z => HealthyRecords(z));
        // 20 TXT records of 1000 bytes at _smtp._tls (forcing TCP); ns2's differ in the last byte of the last record only.
        for (var i = 0; i < 20; i++)
        {
            var text = new string((char)('a' + i), 250);
            servers.Server(Ns1).Zone.AddTxt($"_smtp._tls.{CheckEnvironment.Domain}", text, text, text, text);
            servers.Server(Ns2).Zone.AddTxt($"_smtp._tls.{CheckEnvironment.Domain}", text, text, text, i == 19 ? text[..249] + "!" : text);
        }

        var report = await CheckAsync(env, servers);

        var finding = report.Single(FindingCodes.NameServersInconsistent, $"_smtp._tls.{CheckEnvironment.Domain}");
        Assert.True(finding.Message.Length < 8000, $"message of {finding.Message.Length} characters");
        var answer = report.NameServers!.Servers[0].Answers.Single().Answers.Single(a => a.Question == "_smtp._tls.example.test TXT");
        Assert.Equal(6, answer.Records.Count);
        Assert.EndsWith("… (1000 characters)", answer.Records[1], StringComparison.Ordinal);
        Assert.Equal("… 16 more records", answer.Records[5]);
    }

    [Fact]
    public async Task A_domain_without_a_delegation_has_no_name_server_section()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();

        var report = await env.CheckAsync(o => o.SkipSmtp = true);

        Assert.Null(report.NameServers);
        Assert.DoesNotContain(report.Findings, f => f.Code.StartsWith("NS_", StringComparison.Ordinal));
    }

    private sealed class ZoneComparer : IEqualityComparer<NameServerZoneReport>
    {
        public bool Equals(NameServerZoneReport? x, NameServerZoneReport? y) => x!.Zone == y!.Zone && x.NameServers.SequenceEqual(y.NameServers);
        public int GetHashCode(NameServerZoneReport obj) => obj.Zone.GetHashCode(StringComparison.Ordinal);
    }
}
