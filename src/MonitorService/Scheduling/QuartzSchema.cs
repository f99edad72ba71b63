using System.Text.RegularExpressions;
using Npgsql;

namespace MonitorService.Scheduling;

/// <summary>
/// The Quartz.NET PostgreSQL schema, read from the DDL that ships inside Quartz.dll
/// (<see cref="ResourceName"/>), with the table prefix <see cref="TablePrefix"/> filled in.
/// The service's database gets these tables from the EF Core migration <c>QuartzTables</c>, which runs a frozen copy
/// of this script (migrations/Sql); <c>QuartzMigrationTests</c> fails when the pinned Quartz ships a different one.
/// Tests of the scheduler alone create them with <see cref="EnsureCreatedAsync"/>.
/// </summary>
public static partial class QuartzSchema
{
    public const string ResourceName = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";

    /// <summary>The prefix of every Quartz table (qrtz_job_details, qrtz_triggers, ...); the job store is configured with the same.</summary>
    public const string TablePrefix = "qrtz_";

    private static readonly Lazy<string> Raw = new(ReadResource);

    /// <summary>The resource as shipped: '{0}' and '{1}' are placeholders for the table prefix.</summary>
    public static string RawScript => Raw.Value;

    /// <summary>The shipped script with the prefix substituted (any DROP statements it may contain are kept).</summary>
    public static string CreateScript => SubstitutePrefix(RawScript);

    /// <summary>
    /// The script without DROP statements: only creates what is missing, so it is safe on an existing schema and safe to run twice.
    /// (Quartz 4.7.3's resource already uses CREATE ... IF NOT EXISTS and contains no DROP; older ones began with DROP TABLE IF EXISTS.)
    /// </summary>
    public static string CreateIfMissingScript => WithoutDrops(CreateScript);

    /// <summary>Creates the Quartz tables when qrtz_job_details is missing. Returns true when it ran the script.</summary>
    public static async Task<bool> EnsureCreatedAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Several processes may start at once: serialise them, the later ones then find the tables.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('quartz-schema'))", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var exists = new NpgsqlCommand($"SELECT to_regclass('{TablePrefix}job_details') IS NOT NULL", connection, transaction))
        {
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return false;
            }
        }
        await using (var create = new NpgsqlCommand(CreateIfMissingScript, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public static string SubstitutePrefix(string script)
        // {1} is the prefix without a schema qualifier (for index names); ours has none.
        => script.Replace("{0}", TablePrefix, StringComparison.Ordinal).Replace("{1}", TablePrefix, StringComparison.Ordinal);

    public static string WithoutDrops(string script) => DropLine().Replace(script, "");

    private static string ReadResource()
    {
        var assembly = typeof(Quartz.IScheduler).Assembly;
        using var stream = assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} {assembly.GetName().Version} has no resource {ResourceName}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^[ \t]*DROP[ \t][^\n]*\n?", RegexOptions.IgnoreCase | RegexOptions.Multiline)]
    private static partial Regex DropLine();
}
