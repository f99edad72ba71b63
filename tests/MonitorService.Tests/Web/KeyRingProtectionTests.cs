using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MonitorService.Hosting;
using MonitorService.Storage;
using MonitorService.Tests.Infrastructure;
using MonitorService.Web;

namespace MonitorService.Tests.Web;

/// <summary>
/// Issue 11 item 3: with <c>DataProtection:CertificatePath</c> the data-protection keys (which sign the sign-in cookie)
/// are stored encrypted, so reading the database alone does not let anyone forge a cookie.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class KeyRingProtectionTests(PostgresFixture postgres) : IDisposable
{
    private const string CertificatePassword = "pfx password";
    private readonly string _folder = Directory.CreateTempSubdirectory("monitor-keyring-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task With_a_certificate_the_stored_keys_are_encrypted_and_every_node_holding_it_reads_them()
    {
        var connectionString = await postgres.CreateDatabaseAsync("keyring_cert");
        await using (var db = MonitorDb.Create(connectionString))
            await db.Database.MigrateAsync();
        var settings = Settings(("DataProtection:CertificatePath", WriteCertificate()), ("DataProtection:CertificatePassword", CertificatePassword));

        await using var nodeA = Node(connectionString, settings);
        await using var nodeB = Node(connectionString, settings);
        var ticket = nodeA.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Protect("signed in as ops@example.test");

        Assert.Equal("signed in as ops@example.test", nodeB.GetRequiredService<IDataProtectionProvider>().CreateProtector("cookie").Unprotect(ticket));
        await using var check = MonitorDb.Create(connectionString);
        var stored = Assert.Single(await check.DataProtectionKeys.Select(k => k.Xml).ToListAsync());
        Assert.Contains("<EncryptedData", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", stored, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_that_cannot_be_used_stops_the_start_naming_the_setting()
    {
        var missing = Path.Combine(_folder, "missing.pfx");
        using var node = Node("Host=127.0.0.1", Settings(("DataProtection:CertificatePath", missing)));

        var error = Assert.Throws<OptionsValidationException>(() => node.GetRequiredService<IOptions<KeyRingProtectionOptions>>().Value);
        Assert.Contains("DataProtection:CertificatePath", error.Message, StringComparison.Ordinal);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_does_not_start_with_a_certificate_it_cannot_load()
    {
        var connectionString = await postgres.CreateDatabaseAsync("keyring_serve");
        await using (var db = MonitorDb.Create(connectionString))
            await db.Database.MigrateAsync();
        var notACertificate = Path.Combine(_folder, "not-a-certificate.pfx");
        await File.WriteAllTextAsync(notACertificate, "not PKCS#12");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Monitor"] = connectionString,
            ["urls"] = $"http://127.0.0.1:{SharedPort.Probe(System.Net.IPAddress.Loopback)}",
            ["DataProtection:CertificatePath"] = notACertificate,
        };

        // Were the setting ignored, serve would run until this token stops it (exit 0).
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var stderr = new StringWriter();
        var exit = await MonitorService.Cli.CommandLineApp.RunAsync(["serve"], TextWriter.Null, stderr, settings, stop.Token);

        Assert.Equal(MonitorService.Cli.ExitCodes.Config, exit);
        Assert.Contains("DataProtection:CertificatePath", stderr.ToString(), StringComparison.Ordinal);
    }

    private string WriteCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=MonitorService data protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(_folder, "keyring.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, CertificatePassword));
        return path;
    }

    private static IConfiguration Settings(params (string Key, string Value)[] settings)
        => new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    private static ServiceProvider Node(string connectionString, IConfiguration configuration) =>
        new ServiceCollection()
            .AddLogging()
            .AddMonitorStorage(connectionString)
            .AddMonitorDashboard()
            .AddMonitorKeyRingProtection(configuration)
            .BuildServiceProvider();
}
