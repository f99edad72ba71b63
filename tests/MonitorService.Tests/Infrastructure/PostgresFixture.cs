using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using MonitorService.Storage.Embedded;
using Npgsql;
using Testcontainers.PostgreSql;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace MonitorService.Tests.Infrastructure;

/// <summary>
/// One PostgreSQL server shared by every test class in <see cref="PostgresCollection"/>; each class (or test)
/// gets its own database from <see cref="CreateDatabaseAsync"/>.
/// Server, in order of preference:
/// 1. MONITOR_TEST_POSTGRES (an Npgsql connection string, superuser or CREATEDB; e.g. from .ci/start-postgres.sh);
/// 2. Testcontainers (postgres:15-alpine), only when a Docker engine answers (<see cref="DockerProbe"/>);
/// 3. a throwaway cluster from the local PostgreSQL binaries (<see cref="EmbeddedPostgres"/> in a temp folder, fsync off),
///    stopped and deleted at the end.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public const string EnvironmentVariable = "MONITOR_TEST_POSTGRES";
    public const string ContainerImage = "postgres:15-alpine";

    private readonly ILogger _logger;
    private readonly ConcurrentBag<string> _createdDatabases = [];
    private PostgreSqlContainer? _container;
    private EmbeddedPostgres? _embedded;
    private string? _temporaryDirectory;

    public PostgresFixture(IMessageSink diagnostics)
        => _logger = new TestLogger(m => diagnostics.OnMessage(new DiagnosticMessage(m)), nameof(PostgresFixture));

    /// <summary>Where the server comes from: "MONITOR_TEST_POSTGRES", "Testcontainers" or "local binaries".</summary>
    public string Source { get; private set; } = "";

    /// <summary>Connection string to the server's maintenance database (the env's database when MONITOR_TEST_POSTGRES is used).</summary>
    public string AdminConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            Source = EnvironmentVariable;
            AdminConnectionString = fromEnv;
        }
        else if (DockerProbe.IsDockerAvailable())
        {
            Source = "Testcontainers";
            _container = new PostgreSqlBuilder(ContainerImage).Build();
            await _container.StartAsync();
            AdminConnectionString = _container.GetConnectionString();
        }
        else
        {
            Source = "local binaries";
            _temporaryDirectory = Directory.CreateTempSubdirectory("monitor-tests-pg-").FullName;
            // CreateTempSubdirectory makes it 0700; as root the postgres user must be able to traverse it.
            File.SetUnixFileMode(_temporaryDirectory,
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            _embedded = await EmbeddedPostgres.StartAsync(Path.Combine(_temporaryDirectory, "data"), ForTests, _logger, CancellationToken.None);
            AdminConnectionString = _embedded.AdminConnectionString;
        }
        _logger.LogInformation("Test PostgreSQL from {Source}", Source);
    }

    /// <summary>Options for throwaway clusters: speed over durability.</summary>
    public static EmbeddedPostgresOptions ForTests { get; } = new()
    {
        Fsync = false,
        Settings = new Dictionary<string, string>
        {
            ["synchronous_commit"] = "off",
            ["full_page_writes"] = "off",
            // One server for every test class running in parallel, several with two or three nodes' pools: the default 100
            // ran out ("too many clients") once the multi-node web and mail tests arrived.
            ["max_connections"] = "400",
        },
    };

    /// <summary>
    /// Creates a fresh, uniquely named database and returns its connection string. <paramref name="hint"/> (e.g. the test class
    /// name) only makes the name readable.
    /// </summary>
    public async Task<string> CreateDatabaseAsync(string? hint = null)
    {
        var name = UniqueName(hint);
        await using (var conn = new NpgsqlConnection(AdminConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {EmbeddedPostgres.QuoteIdentifier(name)}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        _createdDatabases.Add(name);
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (Source == EnvironmentVariable)
        {
            // Somebody else's server: leave it as we found it.
            NpgsqlConnection.ClearAllPools();
            try
            {
                await using var conn = new NpgsqlConnection(AdminConnectionString);
                await conn.OpenAsync();
                foreach (var name in _createdDatabases)
                {
                    await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {EmbeddedPostgres.QuoteIdentifier(name)} WITH (FORCE)", conn);
                    await cmd.ExecuteNonQueryAsync();
                }
            }
            catch (NpgsqlException ex)
            {
                _logger.LogWarning(ex, "Could not drop the test databases");
            }
        }
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
        if (_embedded is not null)
        {
            await _embedded.DisposeAsync();
        }
        if (_temporaryDirectory is not null)
        {
            try
            {
                Directory.Delete(_temporaryDirectory, recursive: true);
            }
            catch (IOException ex)
            {
                _logger.LogWarning(ex, "Could not delete {Directory}", _temporaryDirectory);
            }
        }
    }

    private static string UniqueName(string? hint)
    {
        var sb = new StringBuilder("t_");
        foreach (var c in (hint ?? "").ToLowerInvariant())
        {
            if (sb.Length >= 40)
            {
                break;
            }
            sb.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
        }
        sb.Append('_').Append(Guid.NewGuid().ToString("N")[..12]);
        return sb.ToString();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}

/// <summary>
/// For timing-sensitive tests of real node processes (checks every 10 seconds): this collection runs alone, after the
/// parallel ones, so that other tests' processes on the same cores do not turn into late or missed checks.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ExclusivePostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL, run alone";
}
