using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;
using MonitorService.Storage.Embedded;

namespace MonitorService.Hosting;

/// <summary>
/// The database the process uses: the configured <c>ConnectionStrings:Monitor</c>, or — the embedded default — a
/// private PostgreSQL cluster under <c>Storage:EmbeddedDirectory</c> (default <c>.data/postgres</c>) that this
/// process starts, migrates and stops.
/// </summary>
public sealed class MonitorDatabase : IAsyncDisposable
{
    public const string ConnectionStringName = "Monitor";

    private readonly EmbeddedPostgres? _embedded;

    private MonitorDatabase(string connectionString, EmbeddedPostgres? embedded)
    {
        ConnectionString = connectionString;
        _embedded = embedded;
    }

    public string ConnectionString { get; }

    public bool IsEmbedded => _embedded is not null;

    public static async Task<MonitorDatabase> OpenAsync(IConfiguration configuration, ILoggerFactory loggers, CancellationToken ct)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
            return new MonitorDatabase(configured, null);

        var directory = Path.GetFullPath(configuration["Storage:EmbeddedDirectory"] ?? Path.Combine(".data", "postgres"));
        var logger = loggers.CreateLogger<MonitorDatabase>();
        logger.LogInformation("No ConnectionStrings:Monitor configured; using the embedded PostgreSQL in {Directory}", directory);
        var options = EmbeddedOptions(configuration);
        var embedded = await EmbeddedPostgres.StartAsync(directory, options, loggers.CreateLogger<EmbeddedPostgres>(), ct);
        var database = new MonitorDatabase(embedded.ConnectionString, embedded);
        await database.MigrateAsync(logger, ct);
        return database;
    }

    /// <summary>The embedded database's options from <c>Storage:*</c>; unset settings keep <see cref="EmbeddedPostgresOptions"/>' defaults.</summary>
    public static EmbeddedPostgresOptions EmbeddedOptions(IConfiguration configuration)
    {
        var defaults = new EmbeddedPostgresOptions();
        return new EmbeddedPostgresOptions
        {
            AllowAptInstall = configuration.GetValue("Storage:AutoInstallPostgres", defaults.AllowAptInstall),
        };
    }

    /// <summary>Applies pending EF Core migrations (the Quartz tables included).</summary>
    public async Task MigrateAsync(ILogger logger, CancellationToken ct)
    {
        await using var db = MonitorDb.Create(ConnectionString);
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        if (pending.Count == 0)
        {
            logger.LogInformation("Database schema is up to date");
            return;
        }
        logger.LogInformation("Applying {Count} migrations: {Migrations}", pending.Count, pending);
        await db.Database.MigrateAsync(ct);
    }

    /// <summary>Names of migrations the database still lacks; a service must not run against an older schema.</summary>
    public async Task<IReadOnlyList<string>> PendingMigrationsAsync(CancellationToken ct)
    {
        await using var db = MonitorDb.Create(ConnectionString);
        return (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (_embedded is not null)
            await _embedded.DisposeAsync();
    }
}
