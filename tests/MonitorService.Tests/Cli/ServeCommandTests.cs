using System.Net;
using Microsoft.EntityFrameworkCore;
using MonitorService.Cli;
using MonitorService.Storage;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;

namespace MonitorService.Tests.Cli;

[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public class ServeCommandTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Serve_checks_a_newly_registered_domain_at_once_and_answers_health_and_metrics_probes()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        var settings = MonitorHarness.Settings(env);
        settings["ConnectionStrings:Monitor"] = await postgres.CreateDatabaseAsync("serve");
        var port = SharedPort.Probe(IPAddress.Loopback);
        settings["urls"] = $"http://127.0.0.1:{port}";
        settings["Scheduling:ReconcileInterval"] = "00:00:01";
        var output = new StringWriter();
        Assert.True(0 == await CommandLineApp.RunAsync(["migrate"], output, output, settings, CancellationToken.None), output.ToString());
        Assert.True(0 == await CommandLineApp.RunAsync(["domains", "add", "example.test"], output, output, settings, CancellationToken.None), output.ToString());

        using var stop = new CancellationTokenSource();
        var serveErrors = new StringWriter();
        var serve = Task.Run(() => CommandLineApp.RunAsync(["serve"], TextWriter.Null, serveErrors, settings, stop.Token));
        try
        {
            await using var db = MonitorDb.Create(settings["ConnectionStrings:Monitor"]!);
            var checkedAt = await PollAsync(async () => (await db.Domains.AsNoTracking().SingleAsync()).LastCheckedAt, serve, serveErrors);
            Assert.NotNull(checkedAt);
            Assert.Equal("ok", (await db.Domains.AsNoTracking().SingleAsync()).Status);

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            // Checks start with the scheduler, which may be before the web host listens: wait for it to answer.
            for (var i = 0; i < 300 && !await AnswersAsync(http, "/healthz"); i++)
                await Task.Delay(100);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
            var probe = new StringWriter();
            Assert.Equal(0, await CommandLineApp.RunAsync(["health", "--url", $"http://127.0.0.1:{port}/healthz"], probe, probe, null, CancellationToken.None));
            var metrics = await http.GetStringAsync("/metrics");
            Assert.Contains("monitor_checks_total{", metrics, StringComparison.Ordinal);
            Assert.Contains("status=\"ok\"", metrics, StringComparison.Ordinal);
            Assert.Contains("monitor_check_duration_seconds_bucket", metrics, StringComparison.Ordinal);
            Assert.Contains("monitor_scheduler_lag_seconds", metrics, StringComparison.Ordinal);
            Assert.Contains("monitor_incidents_open", metrics, StringComparison.Ordinal);
            Assert.Contains("monitor_outbox_backlog", metrics, StringComparison.Ordinal);
        }
        finally
        {
            await stop.CancelAsync();
        }
        Assert.Equal(0, await serve.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Serve_refuses_a_database_whose_schema_is_behind()
    {
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Monitor"] = await postgres.CreateDatabaseAsync("serve_unmigrated") };
        var stderr = new StringWriter();

        var exit = await CommandLineApp.RunAsync(["serve"], TextWriter.Null, stderr, settings, CancellationToken.None);

        Assert.Equal(78, exit);
        Assert.Contains("Run: MonitorService migrate", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_fails_when_nothing_answers()
    {
        var stderr = new StringWriter();
        Assert.Equal(1, await CommandLineApp.RunAsync(["health", "--url", $"http://127.0.0.1:{SharedPort.Probe(IPAddress.Loopback)}/healthz"], TextWriter.Null, stderr, null, CancellationToken.None));
        Assert.Contains("did not answer", stderr.ToString(), StringComparison.Ordinal);
    }

    private static async Task<bool> AnswersAsync(HttpClient http, string path)
    {
        try
        {
            return (await http.GetAsync(path)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<T?> PollAsync<T>(Func<Task<T?>> read, Task<int> serve, StringWriter serveErrors) where T : struct
    {
        for (var i = 0; i < 300; i++)
        {
            if (serve.IsCompleted)
                throw new InvalidOperationException($"serve stopped early: {(serve.IsFaulted ? serve.Exception : $"exit {serve.Result}")} {serveErrors}");
            if (await read() is { } value)
                return value;
            await Task.Delay(100);
        }
        return default;
    }
}
