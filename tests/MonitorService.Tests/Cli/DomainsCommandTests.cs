using System.Text.Json;
using MonitorService.Cli;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;

namespace MonitorService.Tests.Cli;

[Collection(PostgresCollection.Name)]
public class DomainsCommandTests(PostgresFixture postgres)
{
    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(Dictionary<string, string?> settings, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLineApp.RunAsync(args, stdout, stderr, settings, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private async Task<(CheckEnvironment Env, Dictionary<string, string?> Settings)> PrepareAsync(string hint)
    {
        var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        var settings = MonitorHarness.Settings(env);
        settings["ConnectionStrings:Monitor"] = await postgres.CreateDatabaseAsync(hint);
        return (env, settings);
    }

    [Fact]
    public async Task Migrate_then_add_list_check_events_and_remove()
    {
        var (env, settings) = await PrepareAsync("cli_domains");
        await using var envLifetime = env;

        var migrate = await RunAsync(settings, "migrate");
        Assert.Equal(0, migrate.Exit);
        Assert.Matches("Applied [0-9]+ migration", migrate.Stdout);
        Assert.Contains("up to date", (await RunAsync(settings, "migrate")).Stdout, StringComparison.Ordinal);

        var add = await RunAsync(settings, "domains", "add", "Example.TEST.", "--team", "ops", "--interval", "30m", "--recipients", "a@example.test,b@example.test");
        Assert.Equal(0, add.Exit);
        Assert.Contains("Added example.test (team ops, checked every 30m, alerts to a@example.test, b@example.test)", add.Stdout, StringComparison.Ordinal);

        var list = await RunAsync(settings, "domains", "list", "--format", "json");
        var listed = Assert.Single(JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray());
        Assert.Equal(("example.test", "ops", "pending", 1800), (listed.GetProperty("domain").GetString(), listed.GetProperty("team").GetString(), listed.GetProperty("status").GetString(), listed.GetProperty("intervalSeconds").GetInt32()));

        var check = await RunAsync(settings, "domains", "check", "example.test", "--format", "json");
        Assert.Equal(0, check.Exit);
        var root = JsonDocument.Parse(check.Stdout).RootElement;
        Assert.Equal("example.test", root.GetProperty("domain").GetString());
        Assert.Equal("ok", root.GetProperty("report").GetProperty("status").GetString());
        Assert.Equal(0, root.GetProperty("events").GetArrayLength());

        // The policy loses mx2: the next monitored check reports the drift, with the shape scripts rely on.
        env.Https.SetResponse(CheckEnvironment.PolicyHost, PolicyResponse.Ok("version: STSv1\r\nmode: enforce\r\nmax_age: 604800\r\nmx: mx1.example.test\r\n"));
        env.Zone.Remove($"_mta-sts.{CheckEnvironment.Domain}", "TXT");
        env.Zone.AddTxt($"_mta-sts.{CheckEnvironment.Domain}", "v=STSv1; id=20260201");
        var drift = await RunAsync(settings, "domains", "check", "example.test", "--format", "json");
        Assert.Equal(1, drift.Exit);
        var events = JsonDocument.Parse(drift.Stdout).RootElement.GetProperty("events").EnumerateArray().ToList();
        var changed = Assert.Single(events, e => e.GetProperty("code").GetString() == "DRIFT_POLICY_CHANGED");
        Assert.Equal("info", changed.GetProperty("severity").GetString());
        Assert.True(changed.TryGetProperty("until", out _));
        Assert.False(string.IsNullOrEmpty(changed.GetProperty("message").GetString()));

        var history = await RunAsync(settings, "domains", "events", "example.test", "--format", "json");
        Assert.Equal("DRIFT_POLICY_CHANGED", JsonDocument.Parse(history.Stdout).RootElement[0].GetProperty("code").GetString());
        Assert.Contains("DRIFT_POLICY_CHANGED", (await RunAsync(settings, "domains", "events", "example.test")).Stdout, StringComparison.Ordinal);

        var remove = await RunAsync(settings, "domains", "remove", "example.test");
        Assert.Equal(0, remove.Exit);
        Assert.Contains("No domains registered", (await RunAsync(settings, "domains", "list")).Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a domain", "not a domain name")]
    [InlineData("localhost", "single label")]
    public async Task Invalid_names_are_refused_with_the_reason(string name, string reason)
    {
        var (env, settings) = await PrepareAsync("cli_invalid");
        await using var envLifetime = env;
        await RunAsync(settings, "migrate");

        var (exit, _, stderr) = await RunAsync(settings, "domains", "add", name);

        Assert.Equal(64, exit);
        Assert.Contains(reason, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_short_an_interval_and_a_bad_recipient_are_refused()
    {
        var (env, settings) = await PrepareAsync("cli_interval");
        await using var envLifetime = env;
        await RunAsync(settings, "migrate");

        Assert.Contains("at least 5m, not 1m", (await RunAsync(settings, "domains", "add", "example.test", "--interval", "1m")).Stderr, StringComparison.Ordinal);
        Assert.Contains("not an e-mail address", (await RunAsync(settings, "domains", "add", "example.test", "--recipients", "nobody")).Stderr, StringComparison.Ordinal);
        Assert.Contains("--interval must be a duration", (await RunAsync(settings, "domains", "add", "example.test", "--interval", "soon")).Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_engine_settings_are_refused_at_start_with_a_clear_message()
    {
        var (env, settings) = await PrepareAsync("cli_options");
        await using var envLifetime = env;
        settings["Checks:PolicyPort"] = "70000";
        await RunAsync(settings, "migrate");
        await RunAsync(settings, "domains", "add", "example.test");

        var (exit, _, stderr) = await RunAsync(settings, "domains", "check", "example.test");

        Assert.Equal(78, exit);
        Assert.Contains("Policy port 70000 is not between 1 and 65535", stderr, StringComparison.Ordinal);
    }
}
