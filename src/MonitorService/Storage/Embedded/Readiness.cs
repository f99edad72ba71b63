using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace MonitorService.Storage.Embedded;

/// <summary>Waiting until a server accepts connections, and making sure the application's database exists.</summary>
internal static class Readiness
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    public static async Task WaitUntilAcceptingAsync(string connectionString, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5 }.ConnectionString;
        using var deadline = new CancellationTokenSource(timeout, time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        Exception? last = null;
        while (true)
        {
            try
            {
                await using var conn = new NpgsqlConnection(cs);
                await conn.OpenAsync(attempt.Token).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException or OperationCanceledException && !ct.IsCancellationRequested)
            {
                // An attempt cut off by the deadline says less than the failure before it.
                last = ex is OperationCanceledException && last is not null ? last : ex;
            }
            try
            {
                await Task.Delay(RetryDelay, time, attempt.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // the deadline passed: report below
            }
            if (deadline.IsCancellationRequested)
            {
                throw new EmbeddedPostgresException($"PostgreSQL did not accept connections within {timeout.TotalSeconds:0} s: {last?.Message}", last!);
            }
        }
    }

    public static async Task EnsureDatabaseAsync(string adminConnectionString, string database, ILogger logger, CancellationToken ct)
    {
        var cs = new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false }.ConnectionString;
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync(ct).ConfigureAwait(false);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", conn))
        {
            exists.Parameters.AddWithValue("name", database);
            if (await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null)
            {
                return;
            }
        }
        logger.LogInformation("Creating database {Database}", database);
        await using var create = new NpgsqlCommand($"CREATE DATABASE {EmbeddedPostgres.QuoteIdentifier(database)}", conn);
        try
        {
            await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // created concurrently: fine
        }
    }
}
