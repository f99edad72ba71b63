using System.Text.Json;
using MonitorService.Cli;
using MonitorService.Testing;
using MonitorService.Testing.Dane;

namespace MonitorService.Tests.Cli;

/// <summary>
/// <c>check</c> prints DANE per MX host: in JSON a <c>dane</c> object on hosts that publish TLSA records (none on
/// others), in text the status after the TLS column. Without a DNSSEC validator the records are "not-validated".
/// </summary>
public class CheckDaneOutputTests
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
        .. extra,
    ];

    private static async Task<string> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        await CommandLineApp.RunAsync(args, stdout, new StringWriter(), CancellationToken.None);
        return stdout.ToString();
    }

    [Fact]
    public async Task Json_has_a_dane_object_per_host_with_tlsa_records_and_text_a_status()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        var leaf = env.Ca.IssueLeaf(CheckEnvironment.Mx1);
        env.Smtp.SetCertificate(CheckEnvironment.Mx1, leaf);
        env.Zone.AddTlsa("_25._tcp.mx1.example.test", 3, 1, 1, TlsaData.For(leaf, 1, 1));

        // The output shape, not DNSSEC (DaneCheckTests cover DANE on a signed hierarchy): this zone is unsigned.
        using var json = JsonDocument.Parse(await RunAsync(Args(env, "--format", "json", "--no-dnssec")));

        var mx = json.RootElement.GetProperty("mx");
        var dane = mx[0].GetProperty("dane");
        Assert.Equal("_25._tcp.mx1.example.test", dane.GetProperty("tlsaName").GetString());
        var record = dane.GetProperty("records")[0];
        Assert.Equal((3, 1, 1, Convert.ToHexStringLower(TlsaData.For(leaf, 1, 1)), true, true),
            (record.GetProperty("usage").GetInt32(), record.GetProperty("selector").GetInt32(), record.GetProperty("matchingType").GetInt32(),
             record.GetProperty("data").GetString(), record.GetProperty("usable").GetBoolean(), record.GetProperty("matched").GetBoolean()));
        Assert.Equal((true, true, false, "not-validated"),
            (dane.GetProperty("usable").GetBoolean(), dane.GetProperty("matched").GetBoolean(), dane.GetProperty("secure").GetBoolean(), dane.GetProperty("status").GetString()));
        Assert.Equal("not-validated", dane.GetProperty("dnssec").GetProperty("tlsa").GetString());
        Assert.False(mx[1].TryGetProperty("dane", out _));

        var text = await RunAsync(Args(env, "--no-dnssec"));
        Assert.Contains("DANE not-validated", text, StringComparison.Ordinal);
    }
}
