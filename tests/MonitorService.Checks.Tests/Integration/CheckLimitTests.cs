using System.Net;
using MonitorService.Checks.Model;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Checks.Tests.Integration;

/// <summary>
/// What one domain can make a check do is capped: a domain publishing hundreds of MX hosts or addresses must not
/// turn one check into hundreds of connections. The report says what was left out.
/// </summary>
public class CheckLimitTests
{
    [Fact]
    public async Task Only_the_10_most_preferred_mx_hosts_are_looked_up_and_probed_and_the_rest_are_named()
    {
        await using var env = await StartAsync();
        var hosts = Enumerable.Range(1, 12).Select(i => (Name: $"mx{i:00}.{Domain}", Preference: i * 10)).ToList();
        // Published least preferred first: the cap follows the preference, not the order of the answer.
        foreach (var (name, preference) in Enumerable.Reverse(hosts))
            env.Zone.AddMx(Domain, (ushort)preference, name).AddA(name, MxSpareIp.ToString());
        env.Smtp.DefaultCertificate = env.Ca.IssueLeaf([.. hosts.Select(h => h.Name)]);

        var report = await env.CheckAsync();

        Assert.Equal(hosts.Take(10).Select(h => h.Name), env.Smtp.ConnectionsTo(MxSpareIp).Select(c => c.SniHostName).Order());
        Assert.Equal(0, env.Dns.QueryCount($"mx11.{Domain}", "A") + env.Dns.QueryCount($"mx12.{Domain}", "A"));
        Assert.Equal(12, report.Mx.Count);
        Assert.All(report.Mx.Where(m => m.Preference > 100), m => Assert.True(m.Tls is null && m.Addresses.Count == 0));
        var finding = report.Single(FindingCodes.CheckLimited, Domain);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Contains("12 MX hosts", finding.Message, StringComparison.Ordinal);
        Assert.Contains($"mx11.{Domain} (preference 110), mx12.{Domain} (preference 120)", finding.Message, StringComparison.Ordinal);
        report.Lacks(FindingCodes.MxNoAddress);
    }

    [Fact]
    public async Task At_most_4_addresses_of_an_mx_host_and_of_the_policy_host_are_tried()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        // Nothing listens on the first four MX addresses (refused); listeners count anything reaching the last two.
        env.Zone.Remove(Mx1, "A");
        foreach (var last in new[] { 50, 51, 52, 53, 54, 55 })
            env.Zone.AddA(Mx1, $"127.0.0.{last}");
        await using var fifthMx = ConnectionCounter.Start(IPAddress.Parse("127.0.0.54"), env.Smtp.Port);
        await using var sixthMx = ConnectionCounter.Start(IPAddress.Parse("127.0.0.55"), env.Smtp.Port);
        // The policy host: 127.0.0.20 and .21 served, .56 and .57 refused, .58 and .59 counted.
        foreach (var last in new[] { 21, 56, 57, 58, 59 })
            env.Zone.AddA(PolicyHost, $"127.0.0.{last}");
        await using var fifthPolicy = ConnectionCounter.Start(IPAddress.Parse("127.0.0.58"), env.Https.Port);
        await using var sixthPolicy = ConnectionCounter.Start(IPAddress.Parse("127.0.0.59"), env.Https.Port);

        var report = await env.CheckAsync();

        Assert.Equal(0, fifthMx.Connections + sixthMx.Connections + fifthPolicy.Connections + sixthPolicy.Connections);
        report.Single(FindingCodes.SmtpUnreachable, Mx1);
        Assert.Contains("tried 4 of its 6 addresses", report.Single(FindingCodes.CheckLimited, Mx1).Message, StringComparison.Ordinal);
        Assert.Contains("from 4 of its 6 addresses", report.Single(FindingCodes.CheckLimited, PolicyHost).Message, StringComparison.Ordinal);
        Assert.Equal(6, report.Mx.Single(m => m.Host == Mx1).Addresses.Count);
    }

    [Fact]
    public async Task The_caps_are_settings()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();

        var report = await env.CheckAsync(o => o.MaxMxHosts = 1);

        Assert.Single(env.Smtp.Connections);
        Assert.Contains($"{Mx2} (preference 20)", report.Single(FindingCodes.CheckLimited, Domain).Message, StringComparison.Ordinal);
        Assert.Contains("MaxMxHosts 0 is not between 1 and 50.", new CheckOptions { MaxMxHosts = 0 }.Validate());
        Assert.Contains("MaxAddressesPerHost 17 is not between 1 and 16.", new CheckOptions { MaxAddressesPerHost = 17 }.Validate());
    }
}
