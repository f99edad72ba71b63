using System.Globalization;
using System.Text.Json;
using MonitorService.Cli;
using MonitorService.Testing.Dns;

namespace MonitorService.Tests.Cli;

/// <summary><c>check --format json</c> with <c>--dns-port</c>: the <c>nameservers</c> section as documented.</summary>
public class CheckNameServerJsonTests
{
    [Fact]
    public async Task Json_output_has_a_nameservers_section_with_each_address_and_its_answers()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        await using var servers = AuthoritativeServers.Start(env.Zone, CheckEnvironment.Domain, 2026113001, "ns1.example.test")
            .Publish(z => z.AddTxt($"_mta-sts.{CheckEnvironment.Domain}", "v=STSv1; id=20260101"));
        var stdout = new StringWriter();

        await CommandLineApp.RunAsync(
        [
            "check", CheckEnvironment.Domain, "--resolver", env.Dns.EndPoint.ToString(), "--ca-file", env.Options().CaFile!,
            "--policy-port", env.Https.Port.ToString(CultureInfo.InvariantCulture), "--no-smtp", "--allow-private-addresses", "--timeout", "2",
            "--dns-port", servers.Port.ToString(CultureInfo.InvariantCulture), "--format", "json",
        ], stdout, new StringWriter(), CancellationToken.None);

        using var json = JsonDocument.Parse(stdout.ToString());
        var section = json.RootElement.GetProperty("nameservers");
        Assert.Equal(JsonValueKind.True, section.GetProperty("consistent").ValueKind);
        var server = Assert.Single(section.GetProperty("servers").EnumerateArray());
        Assert.Equal("ns1.example.test", server.GetProperty("name").GetString());
        var address = Assert.Single(server.GetProperty("answers").EnumerateArray());
        Assert.Equal(("127.0.0.41", "answered", 2026113001u), (address.GetProperty("address").GetString(), address.GetProperty("status").GetString(), address.GetProperty("soaSerial").GetUInt32()));
        var txt = address.GetProperty("answers").EnumerateArray().Single(a => a.GetProperty("question").GetString() == "_mta-sts.example.test TXT");
        Assert.Equal("v=STSv1; id=20260101", txt.GetProperty("records")[0].GetString());
    }

    [Fact]
    public async Task The_dns_port_flag_is_validated()
    {
        var stderr = new StringWriter();
        var exit = await CommandLineApp.RunAsync(["check", "example.test", "--dns-port", "0"], new StringWriter(), stderr, CancellationToken.None);
        Assert.Equal(64, exit);
        Assert.Contains("--dns-port", stderr.ToString(), StringComparison.Ordinal);
    }
}
