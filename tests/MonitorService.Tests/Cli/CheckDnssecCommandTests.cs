using System.Text.Json;
using MonitorService.Cli;
using MonitorService.Testing;

namespace MonitorService.Tests.Cli;

/// <summary><c>check</c> with DNSSEC: the <c>dnssec</c> JSON section, <c>--trust-anchor</c>, <c>--no-dnssec</c>, and a resolver without DNSSEC.</summary>
public class CheckDnssecCommandTests
{
    private static string[] Args(CheckEnvironment env, params string[] extra) =>
    [
        "check", CheckEnvironment.Domain,
        "--resolver", env.Dns.EndPoint.ToString(),
        "--ca-file", env.Options().CaFile!,
        "--policy-port", env.Https.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--smtp-port", env.Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--allow-private-addresses",
        "--timeout", "2",
        "--format", "json",
        .. extra,
    ];

    private static async Task<(int Exit, JsonElement Report)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var exit = await CommandLineApp.RunAsync(args, stdout, new StringWriter(), CancellationToken.None);
        return (exit, JsonDocument.Parse(stdout.ToString()).RootElement.Clone());
    }

    [Fact]
    public async Task With_the_test_anchor_every_answer_of_a_signed_domain_is_secure_in_the_json()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        env.SignZones();

        var (exit, report) = await RunAsync(Args(env, "--trust-anchor", env.Options().DnssecTrustAnchorFile!));

        Assert.Equal(0, exit);
        var dnssec = report.GetProperty("dnssec").EnumerateArray().ToList();
        Assert.Equal(6, dnssec.Count);
        Assert.All(dnssec, d => Assert.Equal("secure", d.GetProperty("status").GetString()));
        Assert.Contains(dnssec, d => d.GetProperty("name").GetString() == "_mta-sts.example.test" && d.GetProperty("type").GetString() == "TXT");
    }

    [Fact]
    public async Task With_an_expired_signature_the_check_exits_1_with_the_finding()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        env.SignZones().Zone("example.test").ExpiredSince = TimeSpan.FromHours(5);

        var (exit, report) = await RunAsync(Args(env, "--trust-anchor", env.Options().DnssecTrustAnchorFile!));

        Assert.Equal(1, exit);
        Assert.Contains(report.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "DNSSEC_RRSIG_EXPIRED");
    }

    [Fact]
    public async Task No_dnssec_leaves_the_section_out()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();

        var (exit, report) = await RunAsync(Args(env, "--no-dnssec"));

        Assert.Equal(0, exit);
        Assert.False(report.TryGetProperty("dnssec", out _));
    }

    [Fact]
    public async Task A_resolver_without_dnssec_records_is_indeterminate_and_only_informed_about()
    {
        // The default anchors are the IANA root's; the plain test server serves no DNSKEY for the root.
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();

        var (exit, report) = await RunAsync(Args(env));

        Assert.Equal(0, exit);
        Assert.All(report.GetProperty("dnssec").EnumerateArray(), d => Assert.Equal("indeterminate", d.GetProperty("status").GetString()));
        var finding = report.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == "DNSSEC_INDETERMINATE");
        Assert.Equal("info", finding.GetProperty("severity").GetString());
        Assert.Contains("does not pass DNSSEC records on", finding.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
