using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using MonitorService.Hosting;
using MonitorService.Storage.Embedded;

namespace MonitorService.Tests.Storage;

/// <summary>
/// Issue 11 item 10: <c>Storage:AutoInstallPostgres</c> defaults to what the README promises (a fresh machine just
/// works: as root, the service installs Debian's postgresql itself), and code, comment and error message agree.
/// </summary>
public class AutoInstallSettingTests
{
    [Fact]
    public void Installing_postgresql_is_on_by_default_for_the_service_and_for_the_embedded_options()
    {
        Assert.True(MonitorDatabase.EmbeddedOptions(Configuration()).AllowAptInstall);
        Assert.True(new EmbeddedPostgresOptions().AllowAptInstall);
    }

    [Fact]
    public void Storage_AutoInstallPostgres_false_turns_it_off()
    {
        Assert.False(MonitorDatabase.EmbeddedOptions(Configuration(("Storage:AutoInstallPostgres", "false"))).AllowAptInstall);
    }

    [Fact]
    public async Task Without_binaries_and_with_installing_off_the_error_names_the_setting()
    {
        var empty = Directory.CreateTempSubdirectory("monitor-no-pg-bin-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<EmbeddedPostgresException>(
                () => PostgresBinaries.FindOrInstallAsync(empty, allowAptInstall: false, NullLogger.Instance, CancellationToken.None));
            Assert.Contains("Storage:AutoInstallPostgres is false", error.Message, StringComparison.Ordinal);
            Assert.Contains("apt-get install postgresql", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] settings)
        => new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();
}
