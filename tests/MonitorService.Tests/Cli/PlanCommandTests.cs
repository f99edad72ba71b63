using System.Text.Json;
using MonitorService.Cli;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Cli;

/// <summary><c>domains plan|plan-status|plan-cancel</c> against PostgreSQL and the loopback servers, as an operator runs them.</summary>
[Collection(PostgresCollection.Name)]
public class PlanCommandTests(PostgresFixture postgres)
{
    private const string Mx3 = "mx3.example.test";

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(Dictionary<string, string?> settings, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLineApp.RunAsync(args, stdout, stderr, settings, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string[] Keys(JsonElement e) => e.EnumerateObject().Select(p => p.Name).ToArray();

    private static string Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        Assert.True(from >= 0, $"no '{start}' in: {text}");
        var to = text.IndexOf(end, from + start.Length, StringComparison.Ordinal);
        return text[from..to];
    }

    [Fact]
    public async Task Plan_follow_and_cancel_from_the_command_line_with_the_documented_json()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        env.Zone.AddA(Mx3, MxSpareIp.ToString());
        var settings = MonitorHarness.Settings(env);
        settings["ConnectionStrings:Monitor"] = await postgres.CreateDatabaseAsync("cli_plan");
        settings["Checks:TimeoutSeconds"] = "5"; // the plan needs a check that fetched the policy, also on a busy machine
        Assert.Equal(0, (await RunAsync(settings, "migrate")).Exit);
        Assert.Equal(0, (await RunAsync(settings, "domains", "add", "example.test", "--recipients", "ops@example.test")).Exit);

        var unchecked_ = await RunAsync(settings, "domains", "plan", "example.test", "--new-mx", Mx3);
        Assert.Equal((64, ""), (unchecked_.Exit, unchecked_.Stdout));
        Assert.Contains("has not been checked yet", unchecked_.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync(settings, "domains", "check", "example.test")).Exit);

        var plan = await RunAsync(settings, "domains", "plan", "example.test", "--new-mx", $"{Mx3}:10", "--format", "json");
        Assert.True(plan.Exit == 0, plan.Stderr);
        var root = JsonDocument.Parse(plan.Stdout).RootElement;
        Assert.Equal(["domain", "state", "target", "steps"], Keys(root));
        Assert.Equal(("example.test", "active"), (root.GetProperty("domain").GetString(), root.GetProperty("state").GetString()));
        var target = root.GetProperty("target");
        Assert.Equal(["mx", "mode", "maxAge"], Keys(target));
        Assert.Equal((Mx3, "enforce", 604800L), (target.GetProperty("mx")[0].GetString(), target.GetProperty("mode").GetString(), target.GetProperty("maxAge").GetInt64()));
        var steps = root.GetProperty("steps").EnumerateArray().ToList();
        Assert.All(steps, s => Assert.Equal(["n", "action", "text", "earliestAt", "doneAt", "status"], Keys(s)));
        Assert.Equal(["publish-policy", "wait-for-sender-caches", "switch-mx", "remove-old-hosts"], steps.Select(s => s.GetProperty("action").GetString()));
        Assert.Equal(["ready", "pending", "pending", "pending"], steps.Select(s => s.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, steps[0].GetProperty("doneAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, steps[1].GetProperty("earliestAt").ValueKind);

        var twice = await RunAsync(settings, "domains", "plan", "example.test", "--new-mx", Mx3);
        Assert.Equal(64, twice.Exit);
        Assert.Contains("already has an active change plan", twice.Stderr, StringComparison.Ordinal);

        // Step 1 as its text says: the policy body, then the TXT record; the next monitored check observes it.
        var text = steps[0].GetProperty("text").GetString()!;
        env.Https.SetResponse(PolicyHost, PolicyResponse.Ok(Between(text, "version: STSv1", "\n\n") + "\n"));
        var record = Between(text, "_mta-sts.example.test TXT \"", "\"\n")["_mta-sts.example.test TXT \"".Length..];
        env.Zone.Remove($"_mta-sts.{Domain}", "TXT");
        env.Zone.AddTxt($"_mta-sts.{Domain}", record);
        Assert.Equal(0, (await RunAsync(settings, "domains", "check", "example.test")).Exit);
        var status = JsonDocument.Parse((await RunAsync(settings, "domains", "plan-status", "example.test", "--format", "json")).Stdout).RootElement;
        var after = status.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["done", "pending"], after.Take(2).Select(s => s.GetProperty("status").GetString()));
        Assert.NotEqual(JsonValueKind.Null, after[0].GetProperty("doneAt").ValueKind);
        Assert.True(after[1].GetProperty("earliestAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(6));

        var human = await RunAsync(settings, "domains", "plan-status", "example.test");
        Assert.Contains("Change plan for example.test: active", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("Step 3  switch-mx  PENDING", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("    example.test. IN MX 10 mx3.example.test.", human.Stdout, StringComparison.Ordinal);

        var cancel = await RunAsync(settings, "domains", "plan-cancel", "example.test", "--format", "json");
        Assert.Equal("cancelled", JsonDocument.Parse(cancel.Stdout).RootElement.GetProperty("state").GetString());
        Assert.Contains("example.test: cancelled", (await RunAsync(settings, "domains", "plan-status", "example.test")).Stdout, StringComparison.Ordinal);
        var none = await RunAsync(settings, "domains", "plan-cancel", "example.test");
        Assert.Equal(64, none.Exit);
        Assert.Contains("has no active change plan", none.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--new-mx", "not a host" }, "newMx: \"not a host\"")]
    [InlineData(new[] { "--new-mx", "mx3.example.test", "--mode", "none" }, "mode must be enforce or testing")]
    [InlineData(new[] { "--mode", "enforce" }, "Name the MX hosts to move to")]
    [InlineData(new[] { "--new-mx", "mx3.example.test", "--max-age", "0" }, "--max-age must be a whole number from 1 to 31557600")]
    public async Task Bad_plan_requests_are_refused_with_the_reason(string[] options, string reason)
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        var settings = MonitorHarness.Settings(env);
        settings["ConnectionStrings:Monitor"] = await postgres.CreateDatabaseAsync("cli_plan_bad");
        settings["Checks:TimeoutSeconds"] = "5";
        Assert.Equal(0, (await RunAsync(settings, "migrate")).Exit);
        Assert.Equal(0, (await RunAsync(settings, "domains", "add", "example.test")).Exit);
        Assert.Equal(0, (await RunAsync(settings, "domains", "check", "example.test")).Exit);

        var result = await RunAsync(settings, ["domains", "plan", "example.test", .. options]);

        Assert.Equal(64, result.Exit);
        Assert.Contains(reason, result.Stderr, StringComparison.Ordinal);
    }
}
