using System.Diagnostics;
using System.Text.Json;
using MonitorService.Cli;
using MonitorService.Testing;

namespace MonitorService.Tests.Cli;

public class CheckCommandTests
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

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLineApp.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Json_output_has_the_documented_shape()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        env.Https.SetResponse(CheckEnvironment.PolicyHost, PolicyResponse.Policy("enforce", 604800, CheckEnvironment.Mx1));

        var (exit, stdout, _) = await RunAsync(Args(env, "--format", "json"));

        Assert.Equal(1, exit);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("example.test", root.GetProperty("domain").GetString());
        Assert.True(root.GetProperty("checkedAt").TryGetDateTimeOffset(out _));
        Assert.Equal("error", root.GetProperty("status").GetString());
        Assert.Equal("20260101", root.GetProperty("txt").GetProperty("id").GetString());
        Assert.Equal(1, root.GetProperty("txt").GetProperty("records").GetArrayLength());
        var policy = root.GetProperty("policy");
        Assert.Equal("enforce", policy.GetProperty("mode").GetString());
        Assert.Equal(604800, policy.GetProperty("maxAge").GetInt64());
        Assert.Equal("mx1.example.test", policy.GetProperty("mx")[0].GetString());
        Assert.StartsWith("https://mta-sts.example.test:", policy.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Contains("version: STSv1", policy.GetProperty("raw").GetString(), StringComparison.Ordinal);
        var mx2 = root.GetProperty("mx")[1];
        Assert.Equal("mx2.example.test", mx2.GetProperty("host").GetString());
        Assert.Equal(20, mx2.GetProperty("preference").GetInt32());
        Assert.False(mx2.GetProperty("covered").GetBoolean());
        Assert.Equal(JsonValueKind.Null, mx2.GetProperty("coveredBy").ValueKind);
        Assert.Equal(JsonValueKind.Null, mx2.GetProperty("cname").ValueKind);
        Assert.Equal("127.0.0.31", mx2.GetProperty("addresses")[0].GetString());
        Assert.True(mx2.GetProperty("tls").GetProperty("starttls").GetBoolean());
        var certificate = mx2.GetProperty("tls").GetProperty("certificate");
        Assert.Contains("mx2.example.test", certificate.GetProperty("dnsNames").EnumerateArray().Select(e => e.GetString()));
        Assert.True(certificate.GetProperty("notAfter").TryGetDateTimeOffset(out _));
        Assert.Equal(JsonValueKind.Object, root.GetProperty("tlsRpt").ValueKind);
        var finding = root.GetProperty("findings").EnumerateArray().Single(f => f.GetProperty("code").GetString() == "MTASTS_MX_MISMATCH");
        Assert.Equal("error", finding.GetProperty("severity").GetString());
        Assert.Equal("mx2.example.test", finding.GetProperty("subject").GetString());
        Assert.Equal("RFC 8461 §4.1", finding.GetProperty("rfc").GetString());
        Assert.Contains("mx: mx2.example.test", finding.GetProperty("fix").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(finding.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task A_healthy_domain_exits_0_and_the_text_report_says_so()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();

        var (exit, stdout, stderr) = await RunAsync(Args(env));

        Assert.Equal(0, exit);
        Assert.Equal("", stderr);
        Assert.Contains("example.test  OK", stdout, StringComparison.Ordinal);
        Assert.Contains("mx1.example.test", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", stdout, StringComparison.Ordinal); // no colour when not a terminal
    }

    [Fact]
    public async Task Text_output_groups_findings_and_neutralises_terminal_escapes_from_published_data()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        env.Zone.Remove($"_mta-sts.{CheckEnvironment.Domain}", "TXT");
        env.Zone.AddTxt($"_mta-sts.{CheckEnvironment.Domain}", "v=STSv1; id=1\u001b[2J");

        var (exit, stdout, _) = await RunAsync(Args(env));

        Assert.Equal(1, exit);
        Assert.Contains("Errors (", stdout, StringComparison.Ordinal);
        Assert.Contains("MTASTS_TXT_INVALID", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', stdout);
    }

    [Theory]
    [InlineData(new string[] { "check" }, "Name the domain")]
    [InlineData(new[] { "check", "example.com", "--format", "xml" }, "--format must be text or json")]
    [InlineData(new[] { "check", "example.com", "--timeout", "0" }, "--timeout must be a whole number from 1 to 300")]
    [InlineData(new[] { "check", "example.com", "--resolver", "dns.google" }, "--resolver must be IP or IP:PORT")]
    [InlineData(new[] { "check", "example.com", "--ca-file", "/nonexistent.pem" }, "does not exist")]
    [InlineData(new[] { "check", "example.com", "--bogus" }, "Unknown option '--bogus'")]
    [InlineData(new[] { "check", "http://example.com/" }, "not a domain name")]
    [InlineData(new[] { "frobnicate" }, "Unknown command 'frobnicate'")]
    public async Task Usage_errors_exit_64_with_a_clear_message(string[] args, string message)
    {
        var (exit, stdout, stderr) = await RunAsync(args);

        Assert.Equal(64, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task The_built_executable_runs_the_check()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        var dll = Path.Combine(AppContext.BaseDirectory, "MonitorService.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var arg in Args(env, "--format", "json"))
            start.ArgumentList.Add(arg);

        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(0, process.ExitCode);
        Assert.Equal("ok", JsonDocument.Parse(stdout).RootElement.GetProperty("status").GetString());
    }
}
