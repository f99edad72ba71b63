using System.Diagnostics;
using System.Globalization;
using MonitorService.Storage.Embedded;
using MonitorService.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace MonitorService.Tests.Storage;

[Trait("Category", "Slow")]
public sealed class EmbeddedPostgresTests : IDisposable
{
    private readonly TestLogger _logger;
    private readonly ClusterFolder _folder;

    public EmbeddedPostgresTests(ITestOutputHelper output)
    {
        _logger = new TestLogger(output, nameof(EmbeddedPostgres));
        _folder = new ClusterFolder("monitor-embedded-pg-");
    }

    public void Dispose() => _folder.Dispose();

    private Task<EmbeddedPostgres> StartAsync() => _folder.StartAsync(_logger);

    [Fact]
    public async Task Starts_connects_and_keeps_data_across_restarts()
    {
        string firstConnectionString;
        await using (var pg = await StartAsync())
        {
            firstConnectionString = pg.ConnectionString;
            var csb = new NpgsqlConnectionStringBuilder(pg.ConnectionString);
            Assert.Equal("127.0.0.1", csb.Host);
            Assert.Equal("postgres", csb.Username);
            Assert.Equal("monitor", csb.Database);
            Assert.True(pg.OwnsServer);
            Assert.Equal(_folder.DataDir, pg.DataDirectory);
            await ExecuteAsync(pg.ConnectionString, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (42);");
        }

        Assert.False(File.Exists(Path.Combine(_folder.DataDir, "postmaster.pid")), "the server should be stopped after dispose");
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(firstConnectionString + ";Pooling=false", "SELECT 1"));

        await using (var pg = await StartAsync())
        {
            Assert.Equal(42, await ScalarAsync<int>(pg.ConnectionString, "SELECT id FROM kept"));
        }
    }

    [Fact]
    public async Task Stale_postmaster_pid_from_a_dead_process_is_removed()
    {
        await using (var pg = await StartAsync())
        {
            await ExecuteAsync(pg.ConnectionString, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (7);");
        }
        await WriteStalePidFileAsync(DeadPid());

        await using (var pg = await StartAsync())
        {
            Assert.True(pg.OwnsServer);
            Assert.Equal(7, await ScalarAsync<int>(pg.ConnectionString, "SELECT id FROM kept"));
        }
    }

    [Fact]
    public async Task Stale_postmaster_pid_naming_a_live_non_postgres_process_is_removed()
    {
        await using (var pg = await StartAsync())
        {
        }
        // Our own (test host) process: alive, but not a postgres; postgres itself would refuse to start over it.
        await WriteStalePidFileAsync(Environment.ProcessId);

        await using (var pg = await StartAsync())
        {
            Assert.Equal(1, await ScalarAsync<int>(pg.ConnectionString, "SELECT 1"));
        }
    }

    [Fact]
    public async Task Restarts_after_the_server_was_killed()
    {
        await using (var pg = await StartAsync())
        {
            await ExecuteAsync(pg.ConnectionString, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (9);");
            // The test options use synchronous_commit=off: make the commit durable before the "crash".
            await ExecuteAsync(pg.ConnectionString, "CHECKPOINT");
            var pid = int.Parse((await File.ReadAllLinesAsync(Path.Combine(_folder.DataDir, "postmaster.pid")))[0], CultureInfo.InvariantCulture);
            using (var postmaster = Process.GetProcessById(pid))
            {
                postmaster.Kill(); // SIGKILL: a crash, postmaster.pid stays behind
                await postmaster.WaitForExitAsync();
            }
            Assert.True(File.Exists(Path.Combine(_folder.DataDir, "postmaster.pid")));

            await using var again = await StartAsync();
            Assert.True(again.OwnsServer);
            Assert.Equal(9, await ScalarAsync<int>(again.ConnectionString, "SELECT id FROM kept"));
        }
    }

    [Fact]
    public async Task Second_instance_on_a_running_folder_reuses_the_server()
    {
        await using var first = await StartAsync();
        await using (var second = await StartAsync())
        {
            Assert.False(second.OwnsServer);
            Assert.Equal(first.Port, second.Port);
            Assert.Equal(1, await ScalarAsync<int>(second.ConnectionString, "SELECT 1"));
        }
        // Disposing the reusing instance leaves the server running.
        Assert.Equal(1, await ScalarAsync<int>(first.ConnectionString, "SELECT 1"));
    }

    private async Task WriteStalePidFileAsync(int pid)
    {
        var path = Path.Combine(_folder.DataDir, "postmaster.pid");
        Assert.False(File.Exists(path));
        // Same layout as PostgreSQL 15 writes it.
        await File.WriteAllTextAsync(path, $"{pid}\n{_folder.DataDir}\n1700000000\n5432\n{_folder.Root}\n127.0.0.1\n  1234567     98304\nready   \n");
    }

    private static int DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }

    private static async Task ExecuteAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}
