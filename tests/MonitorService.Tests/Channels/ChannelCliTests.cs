using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MonitorService.Channels;
using MonitorService.Cli;
using MonitorService.Storage;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;

namespace MonitorService.Tests.Channels;

/// <summary>
/// The command line delivers alert channels as the service does: <c>alerts send</c> decrypts a channel made by another
/// process (the key ring is shared through the database) and <c>alerts list</c> names the channel deliveries.
/// </summary>
[Collection(PostgresCollection.Name)]
public class ChannelCliTests(PostgresFixture postgres)
{
    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(Dictionary<string, string?> settings, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLineApp.RunAsync(args, stdout, stderr, settings, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Alerts_send_delivers_to_a_channel_another_process_created()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        using var ca = new TestCertificateAuthority("Webhook Test CA");
        var caFile = ca.WriteRootPemFile(Path.Combine(Path.GetTempPath(), $"monitor-webhook-ca-{Guid.NewGuid():N}.pem"));
        await using var receiver = await WebhookReceiver.StartAsync(ca.IssueLeaf(ChannelTestKit.ReceiverHost), ChannelTestKit.ReceiverIp);
        env.Zone.AddA(ChannelTestKit.ReceiverHost, ChannelTestKit.ReceiverIp.ToString());
        var settings = MonitorHarness.Settings(env);
        settings["ConnectionStrings:Monitor"] = await postgres.CreateDatabaseAsync("cli_channels");
        settings["Smtp:OutboxDirectory"] = Path.Combine(Path.GetTempPath(), $"monitor-tests-outbox-{Guid.NewGuid():N}");
        settings["Alerts:Webhooks:CaFile"] = caFile;
        settings["Alerts:Webhooks:AllowPrivateAddresses"] = "true";
        try
        {
            Assert.Equal(0, (await RunAsync(settings, "migrate")).Exit);
            Assert.Equal(0, (await RunAsync(settings, "domains", "add", "example.test", "--team", "ops", "--recipients", "ops@example.test")).Exit);
            Assert.Equal(0, (await RunAsync(settings, "domains", "check", "example.test")).Exit);

            // Another process (as the web node would) creates the channel and encrypts its URL with the shared key ring.
            await using (var node = MonitorHarness.BuildNode(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), TimeProvider.System,
                             settings["ConnectionStrings:Monitor"]!))
            {
                await using var db = MonitorDb.Create(settings["ConnectionStrings:Monitor"]!);
                var team = (await db.Teams.SingleAsync()).Id;
                await node.GetRequiredService<AlertChannelService>().CreateAsync(team, new ChannelInput("room", AlertChannelKinds.Slack,
                    receiver.Url(ChannelTestKit.ReceiverHost, "/slack").AbsoluteUri, null, null, null), "test", CancellationToken.None);
            }
            env.Https.SetResponse(CheckEnvironment.PolicyHost, PolicyResponse.Ok("version: STSv1\r\nmode: enforce\r\nmax_age: 604800\r\nmx: mx1.example.test\r\n"));
            Assert.Equal(1, (await RunAsync(settings, "domains", "check", "example.test")).Exit);
            var queued = await RunAsync(settings, "alerts", "list");
            Assert.Contains("slack channel, event ", queued.Stdout, StringComparison.Ordinal);

            var sent = await RunAsync(settings, "alerts", "send");

            Assert.True(sent.Exit == 0, sent.Stderr);
            Assert.Contains("2 sent", sent.Stdout, StringComparison.Ordinal); // the mail (to a file) and the channel
            var request = Assert.Single(receiver.Requests);
            Assert.Contains("example.test", request.BodyText, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(caFile);
        }
    }
}
