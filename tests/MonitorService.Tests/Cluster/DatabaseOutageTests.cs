using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using MonitorService.Storage;
using MonitorService.Storage.Embedded;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;

namespace MonitorService.Tests.Cluster;

/// <summary>
/// PostgreSQL restarts under a running node: the node keeps running, says it is not ready while the database is
/// away, and resumes checking when it is back. Uses a private PostgreSQL so that restarting it disturbs no other test.
/// </summary>
[Trait("Category", "Slow")]
public class DatabaseOutageTests
{
    [Fact]
    public async Task A_node_survives_a_database_restart_and_resumes_checking()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"monitor-outage-{Guid.NewGuid():N}");
        var database = await EmbeddedPostgres.StartAsync(Path.Combine(folder, "data"), PostgresFixture.ForTests, NullLogger.Instance, CancellationToken.None);
        var options = new EmbeddedPostgresOptions { Fsync = false, Port = database.Port, Settings = PostgresFixture.ForTests.Settings };
        NodeProcess? node = null;
        try
        {
            await using (var db = MonitorDb.Create(database.ConnectionString))
                await db.Database.MigrateAsync();
            await using var env = (await Testing.CheckEnvironment.StartAsync()).PublishHealthyDomain();
            var settings = MonitorHarness.Settings(env);
            settings["ConnectionStrings:Monitor"] = database.ConnectionString;
            settings["Monitoring:MinimumInterval"] = "00:00:01";
            settings["Scheduling:ReconcileInterval"] = "00:00:01";
            var added = new StringWriter();
            Assert.True(0 == await MonitorService.Cli.CommandLineApp.RunAsync(["domains", "add", Testing.CheckEnvironment.Domain, "--interval", "3s"], added, added, settings, CancellationToken.None), added.ToString());

            node = NodeProcess.Start("node-outage", settings);
            await node.WaitReadyAsync(TimeSpan.FromSeconds(60));
            await WaitForCheckAfterAsync(database.ConnectionString, DateTimeOffset.MinValue);

            await database.DisposeAsync(); // PostgreSQL stops (fast shutdown: connections are cut)
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{node.Port}"), Timeout = TimeSpan.FromSeconds(10) };
            await Task.Delay(TimeSpan.FromSeconds(5));
            Assert.False(node.HasExited, node.Output);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/readyz")).StatusCode);

            database = await EmbeddedPostgres.StartAsync(Path.Combine(folder, "data"), options, NullLogger.Instance, CancellationToken.None);
            var back = DateTimeOffset.UtcNow;
            await WaitForCheckAfterAsync(database.ConnectionString, back);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
            Assert.False(node.HasExited, node.Output);
        }
        finally
        {
            if (node is not null)
                await node.DisposeAsync();
            await database.DisposeAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task WaitForCheckAfterAsync(string connectionString, DateTimeOffset after)
    {
        await using var db = MonitorDb.Create(connectionString);
        for (var i = 0; i < 600; i++)
        {
            try
            {
                if ((await db.Domains.AsNoTracking().SingleAsync()).LastCheckedAt > after)
                    return;
            }
            catch (Npgsql.NpgsqlException)
            {
                // still starting
            }
            await Task.Delay(100);
        }
        Assert.Fail($"no check recorded after {after:O} within 60 s");
    }
}
