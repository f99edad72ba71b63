using MonitorService.Storage.Embedded;
using MonitorService.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace MonitorService.Tests.Storage;

/// <summary>
/// Issue 11 item 3: the embedded cluster lets in only who holds its password — no <c>trust</c>, not another local
/// account — and clusters made with trust by earlier versions are converted at their next start.
/// </summary>
[Trait("Category", "Slow")]
public sealed class EmbeddedPostgresAccessTests : IDisposable
{
    private readonly TestLogger _logger;
    private readonly ClusterFolder _folder;

    public EmbeddedPostgresAccessTests(ITestOutputHelper output)
    {
        _logger = new TestLogger(output, nameof(EmbeddedPostgres));
        _folder = new ClusterFolder("monitor-embedded-access-");
    }

    public void Dispose() => _folder.Dispose();

    private Task<EmbeddedPostgres> StartAsync() => _folder.StartAsync(_logger);

    [Fact]
    public async Task Nobody_gets_in_without_the_password_and_pg_hba_conf_has_no_trust_line()
    {
        await using var pg = await StartAsync();

        Assert.DoesNotContain(File.ReadAllLines(Path.Combine(pg.DataDirectory, "pg_hba.conf")), LegacyTrustCluster.IsTrustLine);
        await AssertRefusedWithoutPasswordAsync(pg);
        Assert.Equal(1, await ScalarAsync(pg.ConnectionString, "SELECT 1"));
    }

    [Fact]
    public async Task The_password_is_kept_in_a_file_only_the_services_user_can_read()
    {
        await using var pg = await StartAsync();

        var passwordFile = Path.Combine(pg.DataDirectory, "monitor-embedded.password");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(passwordFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(pg.DataDirectory));
        var password = (await File.ReadAllTextAsync(passwordFile)).Trim();
        Assert.True(password.Length >= 32, "a random password of at least 128 bits");
        Assert.Equal(password, new NpgsqlConnectionStringBuilder(pg.ConnectionString).Password);
    }

    [Fact]
    public async Task A_trust_cluster_made_by_an_earlier_version_is_converted_on_its_next_start()
    {
        await LegacyTrustCluster.CreateAsync(_folder.DataDir);

        await using (var pg = await StartAsync())
        {
            Assert.True(pg.OwnsServer);
            Assert.DoesNotContain(File.ReadAllLines(Path.Combine(pg.DataDirectory, "pg_hba.conf")), LegacyTrustCluster.IsTrustLine);
            await AssertRefusedWithoutPasswordAsync(pg);
            Assert.Equal(1, await ScalarAsync(pg.ConnectionString, "SELECT 1"));
        }
        // And it stays converted: the next start uses the same password.
        await using (var pg = await StartAsync())
        {
            Assert.Equal(1, await ScalarAsync(pg.ConnectionString, "SELECT 1"));
        }
    }

    [Fact]
    public async Task A_trust_server_left_running_by_an_earlier_version_is_converted_when_reused()
    {
        await LegacyTrustCluster.CreateAsync(_folder.DataDir);
        await LegacyTrustCluster.StartAsync(_folder.DataDir, Path.Combine(_folder.Root, "legacy-socket"));
        try
        {
            await using var pg = await StartAsync();

            Assert.False(pg.OwnsServer);
            Assert.DoesNotContain(File.ReadAllLines(Path.Combine(pg.DataDirectory, "pg_hba.conf")), LegacyTrustCluster.IsTrustLine);
            await AssertRefusedWithoutPasswordAsync(pg);
            Assert.Equal(1, await ScalarAsync(pg.ConnectionString, "SELECT 1"));
        }
        finally
        {
            await LegacyTrustCluster.StopAsync(_folder.DataDir);
        }
    }

    /// <summary>
    /// Without the password: refused to this process (any user: nothing lets a password-less login in), and, when
    /// the test can switch users (root), refused to psql run as <c>nobody</c> — the attack of the issue.
    /// </summary>
    private static async Task AssertRefusedWithoutPasswordAsync(EmbeddedPostgres pg)
    {
        var withoutPassword = new NpgsqlConnectionStringBuilder(pg.ConnectionString) { Password = null, Pooling = false, Passfile = "/dev/null" };
        foreach (var database in new[] { "monitor", "postgres", "template1" })
        {
            withoutPassword.Database = database;
            var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => ScalarAsync(withoutPassword.ConnectionString, "SELECT 1"));
            Assert.Contains("password", refused.Message, StringComparison.OrdinalIgnoreCase);
        }
        var wrongPassword = new NpgsqlConnectionStringBuilder(pg.ConnectionString) { Password = "guess", Pooling = false };
        var wrong = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync(wrongPassword.ConnectionString, "SELECT 1"));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, wrong.SqlState);

        if (Environment.IsPrivilegedProcess)
        {
            var psql = Path.Combine(PostgresBinaries.TryFind()!.Directory, "psql");
            var attempt = await OsProcess.RunAsync(psql,
                ["-X", "-w", "-h", "127.0.0.1", "-p", pg.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", "postgres", "-d", "monitor", "-c", "SELECT 1"],
                asUser: "nobody");
            Assert.True(attempt.ExitCode != 0, $"nobody connected: {attempt.Output}");
            Assert.Contains("password", attempt.Output, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static async Task<int> ScalarAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (int)(await cmd.ExecuteScalarAsync())!;
    }
}
