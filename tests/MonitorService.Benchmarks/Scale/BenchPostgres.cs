using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using MonitorService.Storage;
using MonitorService.Storage.Embedded;
using Npgsql;

namespace MonitorService.Benchmarks.Scale;

/// <summary>
/// A throwaway PostgreSQL from the local binaries (<see cref="EmbeddedPostgres"/>) with production settings (fsync
/// on), one migrated database per measurement; deleted at the end.
/// </summary>
public sealed class BenchPostgres : IAsyncDisposable
{
    private readonly EmbeddedPostgres _server;
    private readonly string _directory;

    private BenchPostgres(EmbeddedPostgres server, string directory)
    {
        _server = server;
        _directory = directory;
    }

    public static async Task<BenchPostgres> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("monitor-bench-pg-").FullName;
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101); // as root the postgres user must traverse it
        var server = await EmbeddedPostgres.StartAsync(Path.Combine(directory, "data"), new EmbeddedPostgresOptions(), NullLogger.Instance, CancellationToken.None);
        return new BenchPostgres(server, directory);
    }

    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var conn = new NpgsqlConnection(_server.AdminConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(_server.AdminConnectionString) { Database = name, MaxPoolSize = 200 }.ConnectionString;
        await using var db = MonitorDb.Create(connectionString);
        await db.Database.MigrateAsync();
        return connectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
