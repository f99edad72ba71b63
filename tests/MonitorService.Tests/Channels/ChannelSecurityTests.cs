using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MonitorService.Channels;
using MonitorService.Hosting;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;
using MonitorService.Web;
using Npgsql;

namespace MonitorService.Tests.Channels;

/// <summary>
/// Channel URLs are typed in by users: what the service connects to, and what it keeps, is attacked here — loopback and
/// private targets, plain HTTP, rules that changed since a channel was made, and the database read on its own.
/// </summary>
[Collection(PostgresCollection.Name)]
public class ChannelSecurityTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Loopback_and_private_targets_are_refused_when_not_allowed_by_address_and_by_name()
    {
        await using var kit = await ChannelTestKit.StartAsync(postgres, "channels_private", allowPrivate: false);
        var team = await kit.TeamAsync();

        // An address literal is refused at once, by its class.
        foreach (var url in new[] { $"https://127.0.0.1:{kit.Receiver.Port}/hook", "https://10.1.2.3/hook", "https://169.254.169.254/latest", "https://[::1]/hook", "https://[::ffff:192.168.0.1]/hook" })
        {
            var refused = await Assert.ThrowsAsync<ChannelRequestException>(() =>
                kit.Channels.CreateAsync(team, new ChannelInput(url, AlertChannelKinds.Webhook, url, null, null, null), "test", CancellationToken.None));
            Assert.Equal("url", refused.Field);
            Assert.Contains("address", refused.Message, StringComparison.Ordinal);
        }

        // A name is judged where it matters, when the delivery resolves it: hooks.example.test points at loopback.
        await kit.AddChannelAsync(team, AlertChannelKinds.Slack, "/slack");
        await kit.DriftAsync();
        var run = await kit.Delivery.DeliverAsync(false, CancellationToken.None);

        Assert.Equal((1, 1), (run.Sent, run.Failed)); // the mail went; the channel failed for good, nothing retried
        Assert.Equal(0, kit.Receiver.Connections);
        var delivery = Assert.Single(await kit.ChannelDeliveriesAsync());
        Assert.Equal(OutboxStatus.Failed, delivery.Status);
        Assert.Contains("points only at a loopback address", delivery.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain("127.0.0.40", delivery.LastError, StringComparison.Ordinal); // the class, never the address
    }

    [Fact]
    public async Task Plain_http_is_refused_unless_allowed_and_a_channel_made_while_it_was_is_not_sent_once_it_is_not()
    {
        await using var kit = await ChannelTestKit.StartAsync(postgres, "channels_http", extra: new() { ["Alerts:Webhooks:AllowHttp"] = "true" }, plainHttpReceiver: true);
        var team = await kit.TeamAsync();
        var (channel, _) = await kit.AddChannelAsync(team, AlertChannelKinds.Webhook, "/plain");
        Assert.StartsWith("http://", kit.Receiver.Url(ChannelTestKit.ReceiverHost).AbsoluteUri, StringComparison.Ordinal);

        // The same database, a node with today's default (https only): creating is refused, the old channel is not sent to.
        var strict = new ConfigurationBuilder().AddInMemoryCollection(
            kit.Harness.Configuration.AsEnumerable().Where(s => s.Key != "Alerts:Webhooks:AllowHttp")).Build();
        await using var node = MonitorHarness.BuildNode(strict, kit.Harness.Clock, kit.Harness.ConnectionString);
        var refused = await Assert.ThrowsAsync<ChannelRequestException>(() => node.GetRequiredService<AlertChannelService>().CreateAsync(team,
            new ChannelInput("plain", AlertChannelKinds.Slack, kit.Receiver.Url(ChannelTestKit.ReceiverHost, "/other").AbsoluteUri, null, null, null), "test", CancellationToken.None));
        Assert.Contains("https://", refused.Message, StringComparison.Ordinal);

        await kit.DriftAsync();
        var run = await node.GetRequiredService<MonitorService.Mail.OutboxDelivery>().DeliverAsync(false, CancellationToken.None);

        Assert.Equal(1, run.Failed);
        Assert.Equal(0, kit.Receiver.Connections);
        var delivery = Assert.Single(await kit.ChannelDeliveriesAsync());
        Assert.Equal((channel.Id, OutboxStatus.Failed), (delivery.ChannelId, delivery.Status));
        Assert.Contains("https://", delivery.LastError, StringComparison.Ordinal);

        // Where http is allowed, the same channel works: the refusal above was the rule, not a broken receiver.
        await using var db = kit.Harness.Db();
        await db.Outbox.Where(m => m.Id == delivery.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Queued));
        Assert.Equal(1, (await kit.Delivery.DeliverAsync(true, CancellationToken.None)).Sent);
        Assert.Single(kit.RequestsTo("/plain"));
    }

    [Fact]
    public async Task Secrets_and_urls_are_not_in_the_database_or_the_logs_in_the_clear()
    {
        var logs = new LogCapture();
        await using var kit = await ChannelTestKit.StartAsync(postgres, "channels_at_rest", logs: logs);
        var team = await kit.TeamAsync();
        const string Credential = "T0SECRET/B0SECRET/xoxCredentialInThePath";
        var (webhook, secret) = await kit.Channels.CreateAsync(team, new ChannelInput("signed", AlertChannelKinds.Webhook,
            kit.Receiver.Url(ChannelTestKit.ReceiverHost, "/services/" + Credential).AbsoluteUri + "?token=QueryCredential", null, null, null), "test", CancellationToken.None);
        await kit.DriftAsync();
        Assert.Equal(2, (await kit.Delivery.DeliverAsync(false, CancellationToken.None)).Sent);
        Assert.Single(kit.RequestsTo("/services/" + Credential)); // it did use them

        var everything = await DumpAsync(kit.Harness.ConnectionString);
        Assert.Contains("signed", everything, StringComparison.Ordinal); // the dump sees the channel's row
        Assert.Contains(webhook.UrlDisplay, everything, StringComparison.Ordinal);
        foreach (var plain in new[] { secret!, secret![ChannelSecrets.SecretPrefix.Length..], Credential, "QueryCredential" })
        {
            Assert.DoesNotContain(plain, everything, StringComparison.Ordinal);
            Assert.DoesNotContain(logs.Entries, e => e.Contains(plain, StringComparison.Ordinal));
        }
        Assert.Equal($"https://{ChannelTestKit.ReceiverHost}:{kit.Receiver.Port}", webhook.UrlDisplay);
    }

    [Fact]
    public async Task With_a_key_ring_certificate_a_copy_of_the_database_alone_does_not_decrypt_a_channel()
    {
        var connectionString = await postgres.CreateDatabaseAsync("channels_keyring");
        await using (var db = MonitorService.Storage.MonitorDb.Create(connectionString))
            await db.Database.MigrateAsync();
        var folder = Directory.CreateTempSubdirectory("monitor-channel-keyring-").FullName;
        try
        {
            var certificate = Path.Combine(folder, "keyring.pfx");
            using (var rsa = RSA.Create(2048))
            using (var self = new CertificateRequest("CN=keyring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                       .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1)))
                await File.WriteAllBytesAsync(certificate, self.Export(X509ContentType.Pkcs12, "pw"));
            var withCertificate = Settings(("DataProtection:CertificatePath", certificate), ("DataProtection:CertificatePassword", "pw"));

            string stored;
            await using (var node = KeyRingNode(connectionString, withCertificate))
                stored = new ChannelSecrets(node.GetRequiredService<IDataProtectionProvider>()).ProtectSecret("whsec_the-secret");
            await using (var sameKeys = KeyRingNode(connectionString, withCertificate))
                Assert.Equal("whsec_the-secret", new ChannelSecrets(sameKeys.GetRequiredService<IDataProtectionProvider>()).UnprotectSecret(stored));

            // Whoever has the database but not the certificate has the encrypted key ring and cannot use it.
            await using var databaseOnly = KeyRingNode(connectionString, Settings());
            Assert.ThrowsAny<CryptographicException>(() => new ChannelSecrets(databaseOnly.GetRequiredService<IDataProtectionProvider>()).UnprotectSecret(stored));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Every row of every table of our schema as text: what a copy of the database holds.</summary>
    private static async Task<string> DumpAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = 'public'", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                tables.Add(reader.GetString(0));
        var dump = new System.Text.StringBuilder();
        foreach (var table in tables)
        {
            await using var rows = new NpgsqlCommand($"SELECT t::text FROM \"{table}\" t", connection);
            await using var reader = await rows.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                dump.Append(table).Append(": ").AppendLine(reader.GetString(0));
        }
        return dump.ToString();
    }

    private static IConfiguration Settings(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    private static ServiceProvider KeyRingNode(string connectionString, IConfiguration configuration) =>
        new ServiceCollection()
            .AddLogging()
            .AddMonitorStorage(connectionString)
            .AddMonitorKeyRingStore()
            .AddMonitorKeyRingProtection(configuration)
            .BuildServiceProvider();
}
