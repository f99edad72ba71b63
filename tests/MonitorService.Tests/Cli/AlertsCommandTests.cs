using MonitorService.Cli;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;

namespace MonitorService.Tests.Cli;

[Collection(PostgresCollection.Name)]
public class AlertsCommandTests(PostgresFixture postgres)
{
    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(Dictionary<string, string?> settings, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLineApp.RunAsync(args, stdout, stderr, settings, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Alerts_send_keeps_mail_queued_while_the_server_is_unreachable_and_exits_0_once_sent()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        await using var mail = await SmtpTestServer.StartAsync(null, "127.0.0.1");
        var settings = MonitorHarness.Settings(env);
        settings["ConnectionStrings:Monitor"] = await postgres.CreateDatabaseAsync("cli_alerts");
        settings["Smtp:Host"] = "127.0.0.1";
        settings["Smtp:Port"] = mail.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Smtp:Security"] = "None";
        settings["Smtp:Timeout"] = "00:00:10";
        Assert.Equal(0, (await RunAsync(settings, "migrate")).Exit);
        Assert.Equal(0, (await RunAsync(settings, "domains", "add", "example.test", "--team", "ops", "--recipients", "ops@example.test")).Exit);
        Assert.Equal(0, (await RunAsync(settings, "domains", "check", "example.test")).Exit);
        // The policy drops mx2: an error drift, queued with the check.
        env.Https.SetResponse(CheckEnvironment.PolicyHost, PolicyResponse.Ok("version: STSv1\r\nmode: enforce\r\nmax_age: 604800\r\nmx: mx1.example.test\r\n"));
        Assert.Equal(1, (await RunAsync(settings, "domains", "check", "example.test")).Exit);

        mail.DefaultBehavior = SmtpBehavior.CloseImmediately;
        var down = await RunAsync(settings, "alerts", "send");
        Assert.Equal(ExitCodes.Unavailable, down.Exit);
        Assert.Contains("error:", down.Stderr, StringComparison.Ordinal);
        var list = await RunAsync(settings, "alerts", "list");
        Assert.Equal(0, list.Exit);
        Assert.Contains("queued", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("[MonitorService] example.test:", list.Stdout, StringComparison.Ordinal);
        Assert.Empty(mail.Messages);

        mail.DefaultBehavior = SmtpBehavior.Normal;
        var up = await RunAsync(settings, "alerts", "send");
        Assert.Equal(0, up.Exit);
        Assert.Contains("1 sent", up.Stdout, StringComparison.Ordinal);
        Assert.Single(mail.Messages);
        Assert.Contains("No queued or failed mail.", (await RunAsync(settings, "alerts", "list")).Stdout, StringComparison.Ordinal);

        var preview = Path.Combine(Path.GetTempPath(), $"digest-{Guid.NewGuid():N}.html");
        var previewed = await RunAsync(settings, "digest", "preview", "--team", "ops", "--output", preview);
        Assert.Equal(0, previewed.Exit);
        Assert.Contains("example.test", await File.ReadAllTextAsync(preview), StringComparison.Ordinal);
        File.Delete(preview);
        Assert.Equal(0, (await RunAsync(settings, "digest", "send", "--team", "ops")).Exit);
        Assert.Equal(2, mail.Messages.Count);
        Assert.Equal(ExitCodes.Usage, (await RunAsync(settings, "digest", "send", "--team", "nobody")).Exit);
    }
}
