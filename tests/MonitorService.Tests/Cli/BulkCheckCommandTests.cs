using System.Globalization;
using System.Text.Json;
using MonitorService.Cli;
using MonitorService.Testing;

namespace MonitorService.Tests.Cli;

/// <summary><c>check</c> with several domains, <c>--input</c>, <c>--concurrency</c> and <c>--format jsonl</c>.</summary>
public class BulkCheckCommandTests
{
    /// <summary>A domain whose only MX server never greets: its check waits out the probe's time limit, and errs.</summary>
    private const string SlowDomain = "slow.example.test";
    private const string SlowMx = "mx3.example.test";

    private static string[] Args(CheckEnvironment env, params string[] extra) =>
    [
        "check",
        "--resolver", env.Dns.EndPoint.ToString(),
        "--ca-file", env.Options().CaFile!,
        "--policy-port", env.Https.Port.ToString(CultureInfo.InvariantCulture),
        "--smtp-port", env.Smtp.Port.ToString(CultureInfo.InvariantCulture),
        "--allow-private-addresses",
        "--timeout", "2",
        .. extra,
    ];

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] args, string stdin = "")
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLineApp.RunAsync(args, new StringReader(stdin), stdout, stderr, settings: null, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static async Task<(CheckEnvironment Env, IReadOnlyList<string> Domains)> StartAsync(int count)
    {
        var env = await CheckEnvironment.StartAsync();
        // One certificate per policy host keeps the policy server's default certificate for nothing else.
        var domains = env.PublishSyntheticDomains(count, certificatePerPolicyHost: true);
        return (env, domains);
    }

    private static void PublishSlowDomain(CheckEnvironment env)
    {
        env.Zone.AddMx(SlowDomain, 10, SlowMx);
        env.Zone.AddA(SlowMx, CheckEnvironment.MxSpareIp.ToString());
        env.Smtp.SetBehavior(CheckEnvironment.MxSpareIp, SmtpBehavior.NoGreeting);
    }

    private static List<JsonElement> JsonLines(string stdout) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

    [Fact]
    public async Task Jsonl_prints_one_report_per_line_in_input_order_and_exits_with_the_worst_status()
    {
        var (env, domains) = await StartAsync(3);
        await using var scope = env;
        PublishSlowDomain(env);
        // The slow domain first: it finishes last, yet is printed first.
        string[] input = [SlowDomain, .. domains];

        var (exit, stdout, stderr) = await RunAsync(Args(env, [.. input, "--format", "jsonl", "--concurrency", "4"]));

        Assert.Equal(1, exit);
        Assert.Equal("", stderr);
        var lines = JsonLines(stdout);
        Assert.Equal(input, lines.Select(l => l.GetProperty("domain").GetString()));
        Assert.Equal("error", lines[0].GetProperty("status").GetString());
        Assert.All(lines.Skip(1), l => Assert.Equal("ok", l.GetProperty("status").GetString()));
        // The shape of --format json: the same properties, nulls kept.
        Assert.True(lines[1].TryGetProperty("tlsRpt", out _));
        Assert.True(lines[1].GetProperty("mx")[0].TryGetProperty("coveredBy", out _));
    }

    [Fact]
    public async Task Input_file_skips_comments_and_blank_lines_and_text_ends_with_a_summary_table()
    {
        var (env, domains) = await StartAsync(2);
        await using var scope = env;
        var file = Path.Combine(Path.GetTempPath(), $"domains-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(file, $"# customers\n\n{domains[0]}   # the first\r\n  \n{domains[1]}\n");
        try
        {
            var (exit, stdout, stderr) = await RunAsync(Args(env, "--input", file));

            Assert.Equal(0, exit);
            Assert.Equal("", stderr);
            Assert.Contains($"{domains[0]}  OK", stdout, StringComparison.Ordinal);
            var summary = stdout[stdout.LastIndexOf("DOMAIN", StringComparison.Ordinal)..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Matches(@"^DOMAIN\s+STATUS\s+ERRORS\s+WARNINGS$", summary[0]);
            Assert.Matches($@"^{Regex(domains[0])}\s+OK\s+0\s+0$", summary[1]);
            Assert.Matches($@"^{Regex(domains[1])}\s+OK\s+0\s+0$", summary[2]);
            Assert.Equal("2 entries: 2 ok", summary[3]);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Input_dash_reads_standard_input_and_json_is_an_array()
    {
        var (env, domains) = await StartAsync(2);
        await using var scope = env;

        var (exit, stdout, _) = await RunAsync(Args(env, "--input", "-", "--format", "json"), string.Join("\n", domains));

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(domains, json.RootElement.EnumerateArray().Select(r => r.GetProperty("domain").GetString()));
    }

    [Fact]
    public async Task A_malformed_line_is_reported_in_its_place_and_makes_the_exit_status_64()
    {
        var (env, domains) = await StartAsync(1);
        await using var scope = env;

        var (exit, stdout, stderr) = await RunAsync(Args(env, "--input", "-", "--format", "jsonl"), $"http://bad.example/\u001b[2J\n{domains[0]}\n");

        Assert.Equal(64, exit);
        var lines = JsonLines(stdout);
        Assert.Equal(2, lines.Count);
        Assert.Equal("invalid", lines[0].GetProperty("status").GetString());
        Assert.Equal("line 1", lines[0].GetProperty("source").GetString());
        Assert.Contains("not a domain name", lines[0].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("ok", lines[1].GetProperty("status").GetString());
        Assert.Contains("1 of 2 entries are not domain names", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_domain_in_text_mode_is_escaped_and_listed_in_the_summary()
    {
        var (exit, stdout, _) = await RunAsync(["check", "bad\u001b[2J/", "also bad/", "--no-smtp"]);

        Assert.Equal(64, exit);
        Assert.DoesNotContain('\u001b', stdout);
        Assert.Contains("argument 1: 'bad\uFFFD[2J/' is not checked", stdout, StringComparison.Ordinal);
        Assert.Contains("2 entries: 2 invalid", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_probe_limit_per_MX_address_holds_across_the_whole_run()
    {
        var (env, domains) = await StartAsync(12);
        await using var scope = env;

        var (exit, stdout, _) = await RunAsync(Args(env, [.. domains, "--format", "jsonl", "--concurrency", "12", "--max-probes-per-mx", "1"]));

        Assert.Equal(0, exit);
        Assert.Equal(12, JsonLines(stdout).Count);
        foreach (var address in new[] { CheckEnvironment.Mx1Ip, CheckEnvironment.Mx2Ip })
        {
            var connections = env.Smtp.ConnectionsTo(address);
            Assert.Equal(12, connections.Count);
            Assert.Equal(1, MaxOverlap(connections));
        }
    }

    /// <summary>
    /// Most connections open at once, each from its accept to its last command (QUIT, whose reply the probe waits
    /// for): both lie within the probe's hold on its slot, so this never overstates the client's concurrency.
    /// </summary>
    private static int MaxOverlap(IReadOnlyList<SmtpConnectionRecord> connections)
    {
        var events = connections
            .SelectMany(c => new[] { (At: c.ConnectedAt, Delta: 1), (At: c.LastCommandAt ?? c.ConnectedAt, Delta: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Delta); // an end and a start at the same instant: the end first
        int open = 0, max = 0;
        foreach (var (_, delta) in events)
            max = Math.Max(max, open += delta);
        return max;
    }

    [Theory]
    [InlineData(new[] { "check", "a.test", "--concurrency", "0" }, "--concurrency must be a whole number from 1 to 256")]
    [InlineData(new[] { "check", "a.test", "--concurrency", "257" }, "--concurrency must be a whole number from 1 to 256")]
    [InlineData(new[] { "check", "--input", "/nonexistent/domains.txt" }, "--input: cannot read '/nonexistent/domains.txt'")]
    [InlineData(new[] { "check", "--input", "a", "--input", "b" }, "--input may be given once")]
    [InlineData(new[] { "check", "--format", "jsonl" }, "Name the domain")]
    public async Task Bulk_usage_errors_exit_64_before_any_check(string[] args, string message)
    {
        var (exit, stdout, stderr) = await RunAsync(args);

        Assert.Equal(64, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [Theory]
    [InlineData(100_001, "a.test\n", "more than 100,000 lines")]
    [InlineData(1, "# nothing here\n\n", "names no domain")]
    public async Task The_input_list_is_capped_and_checked_before_any_work(int repeat, string line, string message)
    {
        var (exit, stdout, stderr) = await RunAsync(["check", "--input", "-"], string.Concat(Enumerable.Repeat(line, repeat)));

        Assert.Equal(64, exit);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task More_than_1_MiB_of_input_is_refused()
    {
        var (exit, _, stderr) = await RunAsync(["check", "--input", "-"], new string('a', 1024 * 1024 + 1));

        Assert.Equal(64, exit);
        Assert.Contains("standard input is larger than 1 MiB", stderr, StringComparison.Ordinal);
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
