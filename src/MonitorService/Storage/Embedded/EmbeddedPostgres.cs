using Microsoft.Extensions.Logging;
using Npgsql;

namespace MonitorService.Storage.Embedded;

/// <summary>
/// A PostgreSQL server run from the locally installed binaries, on a data folder of our own:
/// the service's default store when no connection string is configured.
/// </summary>
/// <remarks>
/// <para><b>Start.</b> <see cref="StartAsync(string, ILogger, CancellationToken)"/> finds the binaries, runs initdb when the folder
/// holds no cluster (superuser <c>postgres</c>, UTF8, C locale), writes the connection settings to
/// <c>monitor-embedded.conf</c> (included from postgresql.conf; no shell quoting involved), starts the server with
/// <c>pg_ctl start -w</c> on 127.0.0.1 and a free port, waits until it accepts connections and creates the database.</para>
/// <para><b>Access.</b> Every connection needs the superuser's password: random, generated for the cluster, kept in
/// <c>monitor-embedded.password</c> (mode 0600) in the data folder and put into <see cref="ConnectionString"/>;
/// pg_hba.conf allows scram-sha-256 only, never <c>trust</c> (see <see cref="ClusterPassword"/> for why not peer
/// authentication). initdb runs with <c>--auth=reject</c>, so even a fresh cluster admits nobody until the password is
/// set (in single-user mode, which listens on nothing); clusters made with trust by earlier versions are converted the
/// same way at their next start, or over a connection when such a server is found running.</para>
/// <para><b>Root.</b> initdb and postgres refuse to run as root, so as root every PostgreSQL binary runs through
/// <c>runuser -u postgres --</c> and the data folder is chown'ed to postgres. The parent folder must be traversable by
/// postgres: if it is not (e.g. under /root) folder permissions are never widened; instead, with
/// <see cref="EmbeddedPostgresOptions.RelocateWhenUnreachable"/> (default), the cluster lives under the postgres user's
/// home (/var/lib/postgresql/monitorservice/NAME-HASH/data, stable per requested folder) and a warning is logged.
/// <see cref="DataDirectory"/> tells where it really is. Not root: the binaries run directly as the current user.</para>
/// <para><b>Unix socket.</b> In the folder <c>NAME-socket</c> beside the data folder (or a temporary folder when that
/// path is too long for a socket). Clients use TCP.</para>
/// <para><b>Folders.</b> Data and socket folders are created 0700 and never reached through a symbolic link
/// (<see cref="OwnerOnlyFolder"/>).</para>
/// <para><b>Crash leftovers.</b> A postmaster.pid whose process is not a running postgres is removed before starting.</para>
/// <para><b>Running twice.</b> If a server already runs on the folder (postmaster.pid + <c>pg_ctl status</c> + a
/// connection succeeds), it is <b>reused</b>: the new instance connects to its port and does not stop it on dispose
/// (<see cref="OwnsServer"/> is false) — unless the process that started it has died (it crashed), in which case the new
/// instance adopts the server and stops it on dispose. Starts on the same folder are serialised with a lock file.</para>
/// <para><b>Stop.</b> <see cref="DisposeAsync"/> runs <c>pg_ctl stop -m fast</c> when this instance owns the server.</para>
/// </remarks>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    /// <summary>The cluster's superuser role (initdb -U), the one the connection strings use.</summary>
    internal const string Superuser = "postgres";

    private readonly PostgresBinaries _binaries;
    private readonly ILogger _logger;
    private readonly string? _temporarySocketDirectory;

    /// <summary>PID of the postmaster this instance talks to (from postmaster.pid), 0 if unknown.</summary>
    private readonly int _postmasterPid;

    private int _disposed;

    internal EmbeddedPostgres(PostgresBinaries binaries, ILogger logger, string dataDirectory, int port, string password,
        string databaseName, bool ownsServer, int postmasterPid, string? temporarySocketDirectory)
    {
        _binaries = binaries;
        _logger = logger;
        DataDirectory = dataDirectory;
        Port = port;
        OwnsServer = ownsServer;
        _postmasterPid = postmasterPid;
        _temporarySocketDirectory = temporarySocketDirectory;
        ConnectionString = BuildConnectionString(port, password, databaseName);
        AdminConnectionString = BuildConnectionString(port, password, "postgres");
    }

    /// <summary>Npgsql connection string to the application database: Host=127.0.0.1;Port=..;Username=postgres;Password=..;Database=monitor.</summary>
    public string ConnectionString { get; }

    /// <summary>Same server, maintenance database <c>postgres</c> (for CREATE/DROP DATABASE).</summary>
    public string AdminConnectionString { get; }

    /// <summary>The data folder actually used (differs from the requested one only after relocation, see remarks).</summary>
    public string DataDirectory { get; }

    public int Port { get; }

    /// <summary>True when this instance started (or adopted) the server and stops it on dispose; false when it reuses one.</summary>
    public bool OwnsServer { get; }

    /// <summary>Starts (or reuses) the server on <paramref name="dataDirectory"/> with the default options.</summary>
    public static Task<EmbeddedPostgres> StartAsync(string dataDirectory, ILogger logger, CancellationToken ct)
        => StartAsync(dataDirectory, new EmbeddedPostgresOptions(), logger, ct);

    /// <summary>Starts (or reuses) the server on <paramref name="dataDirectory"/>.</summary>
    public static async Task<EmbeddedPostgres> StartAsync(
        string dataDirectory, EmbeddedPostgresOptions options, ILogger logger, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The embedded PostgreSQL server is supported on Linux and macOS only; configure a connection string.");
        }

        var binaries = await PostgresBinaries.FindOrInstallAsync(options.BinDirectory, options.AllowAptInstall, logger, ct).ConfigureAwait(false);
        logger.LogDebug("Using PostgreSQL binaries in {BinDirectory}", binaries.Directory);

        var dataDir = Path.GetFullPath(dataDirectory).TrimEnd('/');
        OwnerOnlyFolder.RefuseSymbolicLink(dataDir, "data folder");
        if (Environment.IsPrivilegedProcess)
        {
            dataDir = await PostgresAccount.EnsureReachableAsync(dataDir, options, logger, ct).ConfigureAwait(false);
        }

        var parent = Path.GetDirectoryName(dataDir) ?? throw new EmbeddedPostgresException($"'{dataDir}' has no parent folder.");
        Directory.CreateDirectory(parent);

        using var startLock = await StartLock.AcquireAsync(parent, Path.GetFileName(dataDir), options.StartTimeout, options.TimeProvider, logger, ct).ConfigureAwait(false);
        return await new ClusterStarter(binaries, options, logger, dataDir, parent).RunAsync(ct).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        using (var c = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(c);
        }
        using (var c = new NpgsqlConnection(AdminConnectionString))
        {
            NpgsqlConnection.ClearPool(c);
        }
        if (OwnsServer && _postmasterPid != 0 && PostmasterPidFile.ReadPid(DataDirectory) != _postmasterPid)
        {
            _logger.LogWarning("The PostgreSQL server this instance started on {DataDirectory} (pid {Pid}) is gone already", DataDirectory, _postmasterPid);
            return;
        }
        if (!OwnsServer)
        {
            _logger.LogInformation("Leaving the PostgreSQL server on {DataDirectory} running (this instance did not start it)", DataDirectory);
            return;
        }

        _logger.LogInformation("Stopping PostgreSQL on {DataDirectory}", DataDirectory);
        var result = await PostgresProcess.RunAsync(_binaries.PgCtl, ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"],
            TimeSpan.FromSeconds(90), CancellationToken.None).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            _logger.LogWarning("pg_ctl stop exited with {ExitCode}: {Output}", result.ExitCode, result.Output);
        }
        ServerOwner.Release(DataDirectory);
        if (_temporarySocketDirectory is not null)
        {
            BestEffort.DeleteFolder(_temporarySocketDirectory);
        }
    }

    /// <summary>Quotes a PostgreSQL identifier ("a""b").</summary>
    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static string BuildConnectionString(int port, string password, string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = port,
        Username = Superuser,
        Password = password,
        Database = database,
    }.ConnectionString;
}
