using System.Text.Json;
using MonitorService.Cli;
using MonitorService.Testing;

namespace MonitorService.Tests.Cli;

/// <summary><c>check DOMAIN --policy-file DRAFT [--mx ...]</c> against a live domain on the loopback servers.</summary>
public sealed class DryRunCommandTests : IDisposable
{
    private const string Healthy = "version: STSv1\nmode: enforce\nmx: mx1.example.test\nmx: mx2.example.test\nmax_age: 604800\n";
    private readonly string _folder = Directory.CreateTempSubdirectory("monitor-dry-run-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Draft(string text)
    {
        var path = Path.Combine(_folder, $"{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, text);
        return path;
    }

    private static string[] Args(CheckEnvironment env, params string[] extra) =>
    [
        "check", CheckEnvironment.Domain,
        "--resolver", env.Dns.EndPoint.ToString(),
        "--ca-file", env.Options().CaFile!,
        "--policy-port", env.Https.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--smtp-port", env.Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--allow-private-addresses",
        "--timeout", "5", // the dry runs compare with the published policy: a busy machine must not cost its fetch
        .. extra,
    ];

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] args, string stdin = "")
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLineApp.RunAsync(args, new StringReader(stdin), stdout, stderr, null, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static IEnumerable<JsonElement> Findings(JsonElement root, string code) =>
        root.GetProperty("findings").EnumerateArray().Where(f => f.GetProperty("code").GetString() == code);

    [Fact]
    public async Task A_draft_that_misses_the_new_mx_is_a_coverage_error()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        var draft = Draft(Healthy.Replace("max_age", "mx: mx4.example.test\nmax_age", StringComparison.Ordinal));

        var (exit, stdout, stderr) = await RunAsync(Args(env, "--policy-file", draft, "--mx", "mx3.example.test", "--format", "json"));

        Assert.True(exit == 1, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["domain", "evaluatedAt", "published", "draft", "mx", "newIdNeeded", "txtRecord", "findings", "status"], root.EnumerateObject().Select(p => p.Name));
        var mismatch = Assert.Single(Findings(root, "MTASTS_MX_MISMATCH"));
        Assert.Equal(("error", "mx3.example.test"), (mismatch.GetProperty("severity").GetString(), mismatch.GetProperty("subject").GetString()));
        var host = Assert.Single(root.GetProperty("mx").EnumerateArray());
        Assert.Equal(("mx3.example.test", 10, true, false), (host.GetProperty("host").GetString(), host.GetProperty("preference").GetInt32(),
            host.GetProperty("hypothetical").GetBoolean(), host.GetProperty("covered").GetBoolean()));
        Assert.Equal(("20260101", "enforce"), (root.GetProperty("published").GetProperty("txtId").GetString(), root.GetProperty("published").GetProperty("mode").GetString()));
        Assert.Equal("error", root.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_changed_draft_needs_a_new_id_with_the_exact_record()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        var draft = Draft(Healthy.Replace("max_age", "mx: mx3.example.test\nmax_age", StringComparison.Ordinal));

        var json = await RunAsync(Args(env, "--policy-file", draft, "--format", "json"));
        var text = await RunAsync(Args(env, "--policy-file", draft));

        Assert.True(json.Exit == 0, json.Stderr);
        var root = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.True(root.GetProperty("newIdNeeded").GetBoolean());
        Assert.Matches("^_mta-sts\\.example\\.test TXT \"v=STSv1; id=[0-9]{8}T[0-9]{6}\"$", root.GetProperty("txtRecord").GetString());
        Assert.Equal("warning", Assert.Single(Findings(root, "DRAFT_NEW_ID_NEEDED")).GetProperty("severity").GetString());
        Assert.Equal(0, text.Exit);
        Assert.Contains("Dry run for example.test: WARNING (nothing was published or stored)", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("New id       needed: after the draft is served, publish _mta-sts.example.test TXT \"v=STSv1; id=", text.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_syntax_error_in_the_draft_fails_the_dry_run()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();

        var (exit, stdout, _) = await RunAsync(Args(env, "--policy-file", "-"), "version: STSv1\nmode enforce\nmx: mx1.example.test\nmax_age: 604800\n");

        Assert.Equal(1, exit);
        Assert.Contains("MTASTS_POLICY_SYNTAX", stdout, StringComparison.Ordinal);
        Assert.Contains("NOT VALID: senders would ignore it", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_published_policy_as_a_draft_changes_nothing()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();

        var (exit, stdout, _) = await RunAsync(Args(env, "--policy-file", Draft(CheckEnvironment.HealthyPolicy), "--format", "json"));

        Assert.Equal(0, exit);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.False(root.GetProperty("newIdNeeded").GetBoolean());
        Assert.Single(Findings(root, "DRAFT_UNCHANGED"));
    }

    [Fact]
    public async Task Switching_mx_alone_names_what_senders_holding_the_current_policy_would_do()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();

        var (exit, stdout, _) = await RunAsync(Args(env, "--mx", "mx1.example.test:10,mx3.example.test:20", "--format", "json"));

        Assert.Equal(1, exit);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("draft").ValueKind);
        var refuse = Assert.Single(Findings(root, "DRAFT_CACHED_POLICY_REFUSES"));
        Assert.Contains("would refuse to deliver to mx3.example.test", refuse.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal([true, false], root.GetProperty("mx").EnumerateArray().Select(m => m.GetProperty("covered").GetBoolean()));
    }

    [Theory]
    [InlineData("missing", "does not exist")]
    [InlineData("large", "larger than 64 KiB")]
    [InlineData("empty", "the draft policy is empty")]
    [InlineData("mx", "--mx: \"not a host\"")]
    [InlineData("bulk", "dry-run one domain")]
    public async Task Bad_dry_runs_are_usage_errors(string kind, string message)
    {
        // No servers: a usage error must come before any network work.
        string[] args = kind switch
        {
            "missing" => ["check", "example.test", "--policy-file", Path.Combine(_folder, "nope.txt")],
            "large" => ["check", "example.test", "--policy-file", Draft(Healthy + new string('#', 64 * 1024))],
            "empty" => ["check", "example.test", "--policy-file", Draft("")],
            "mx" => ["check", "example.test", "--mx", "not a host"],
            _ => ["check", "example.test", "example.org", "--policy-file", Draft(Healthy)],
        };

        var (exit, stdout, stderr) = await RunAsync(args);

        Assert.Equal((64, ""), (exit, stdout));
        Assert.Contains(message, stderr, StringComparison.Ordinal);
    }
}
