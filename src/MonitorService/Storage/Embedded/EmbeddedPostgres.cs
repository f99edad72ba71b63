using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
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
/// <para><b>Crash leftovers.</b> A postmaster.pid whose process is not a running postgres is removed before starting.</para>
/// <para><b>Running twice.</b> If a server already runs on the folder (postmaster.pid + <c>pg_ctl status</c> + a
/// connection succeeds), it is <b>reused</b>: the new instance connects to its port and does not stop it on dispose
/// (<see cref="OwnsServer"/> is false) — unless the process that started it has died (it crashed), in which case the new
/// instance adopts the server and stops it on dispose. Starts on the same folder are serialised with a lock file.</para>
/// <para><b>Stop.</b> <see cref="DisposeAsync"/> runs <c>pg_ctl stop -m fast</c> when this instance owns the server.</para>
/// </remarks>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private const string ConfFileName = "monitor-embedded.conf";
    private const string OwnerFileName = "monitor-embedded.owner";
    private const string LogFileName = "monitor-embedded.log";
    private const string PostgresUser = "postgres";
    private const int MaxSocketPath = 100; // sun_path is 108 bytes; leave room for ".s.PGSQL.NNNNN.lock"

    private readonly PostgresBinaries _binaries;
    private readonly ILogger _logger;
    private readonly string? _temporarySocketDirectory;
    private int _disposed;

    /// <summary>PID of the postmaster this instance talks to (from postmaster.pid), 0 if unknown.</summary>
    private int _postmasterPid;

    private EmbeddedPostgres(PostgresBinaries binaries, ILogger logger, string dataDirectory, int port, string password,
        string databaseName, bool ownsServer, string? temporarySocketDirectory)
    {
        _binaries = binaries;
        _logger = logger;
        DataDirectory = dataDirectory;
        Port = port;
        OwnsServer = ownsServer;
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
            dataDir = await EnsureReachableByPostgresAsync(dataDir, options, logger, ct).ConfigureAwait(false);
        }

        var parent = Path.GetDirectoryName(dataDir) ?? throw new EmbeddedPostgresException($"'{dataDir}' has no parent folder.");
        Directory.CreateDirectory(parent);

        using var startLock = await AcquireStartLockAsync(parent, Path.GetFileName(dataDir), options.StartTimeout, logger, ct).ConfigureAwait(false);
        var starter = new Starter(binaries, options, logger, dataDir, parent);
        return await starter.RunAsync(ct).ConfigureAwait(false);
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
        if (OwnsServer && _postmasterPid != 0 && ReadPostmasterPid(DataDirectory) != _postmasterPid)
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
        TryDelete(Path.Combine(DataDirectory, OwnerFileName));
        if (_temporarySocketDirectory is not null)
        {
            try
            {
                Directory.Delete(_temporarySocketDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static string BuildConnectionString(int port, string password, string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = port,
        Username = PostgresUser,
        Password = password,
        Database = database,
    }.ConnectionString;

    // ---------------------------------------------------------------------------------------------

    /// <summary>The steps of one start, sharing their inputs.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private sealed class Starter(PostgresBinaries binaries, EmbeddedPostgresOptions options, ILogger logger, string dataDir, string parent)
    {
        private string PidFile => Path.Combine(dataDir, "postmaster.pid");
        private string OwnerFile => Path.Combine(dataDir, OwnerFileName);
        private string LogFile => Path.Combine(dataDir, LogFileName);

        public async Task<EmbeddedPostgres> RunAsync(CancellationToken ct)
        {
            await EnsureDataDirectoryAsync(ct).ConfigureAwait(false);

            if (!File.Exists(Path.Combine(dataDir, "PG_VERSION")))
            {
                await InitDbAsync(ct).ConfigureAwait(false);
            }

            var reused = await TryReuseRunningServerAsync(ct).ConfigureAwait(false);
            if (reused is not null)
            {
                return reused;
            }

            var password = await PasswordAuthentication.EnsureWhileStoppedAsync(binaries, dataDir, options.StartTimeout, logger, ct).ConfigureAwait(false);
            var (socketDir, temporarySocketDir) = await PrepareSocketDirectoryAsync(ct).ConfigureAwait(false);
            const int attempts = 3;
            for (var attempt = 1; ; attempt++)
            {
                var port = options.Port ?? FreeLoopbackPort();
                await WriteConfigurationAsync(port, socketDir, ct).ConfigureAwait(false);
                RotateLog();
                logger.LogInformation("Starting PostgreSQL on {DataDirectory}, 127.0.0.1:{Port}", dataDir, port);
                var timeoutSeconds = ((int)options.StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                var result = await PostgresProcess.RunAsync(binaries.PgCtl,
                    ["start", "-D", dataDir, "-l", LogFile, "-w", "-t", timeoutSeconds],
                    options.StartTimeout + TimeSpan.FromSeconds(15), ct).ConfigureAwait(false);
                if (result.ExitCode == 0)
                {
                    await File.WriteAllTextAsync(OwnerFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
                    var server = new EmbeddedPostgres(binaries, logger, dataDir, port, password, options.DatabaseName, ownsServer: true, temporarySocketDir)
                    {
                        _postmasterPid = ReadPostmasterPid(dataDir),
                    };
                    try
                    {
                        await WaitUntilAcceptingAsync(server.AdminConnectionString, options.StartTimeout, ct).ConfigureAwait(false);
                        await EnsureDatabaseAsync(server.AdminConnectionString, options.DatabaseName, logger, ct).ConfigureAwait(false);
                    }
                    catch
                    {
                        await server.DisposeAsync().ConfigureAwait(false);
                        throw;
                    }
                    logger.LogInformation("PostgreSQL is ready on 127.0.0.1:{Port} (database {Database})", port, options.DatabaseName);
                    return server;
                }

                var log = ReadLogTail();
                var retryable = log.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
                    || log.Contains("shared memory block is still in use", StringComparison.OrdinalIgnoreCase);
                if (attempt < attempts && retryable)
                {
                    logger.LogWarning("PostgreSQL start attempt {Attempt} failed ({Reason}); retrying", attempt, LastLine(log));
                    await Task.Delay(TimeSpan.FromSeconds(attempt), ct).ConfigureAwait(false);
                    continue;
                }
                throw new EmbeddedPostgresException(
                    $"pg_ctl start failed on '{dataDir}' (exit {result.ExitCode}).{Environment.NewLine}{result.Output}{Environment.NewLine}" +
                    $"Server log ({LogFile}):{Environment.NewLine}{log}");
            }
        }

        private async Task EnsureDataDirectoryAsync(CancellationToken ct)
        {
            OwnerOnlyFolder.Ensure(dataDir, "data folder");
            if (Environment.IsPrivilegedProcess)
            {
                // Only walk the tree when the top folder is not postgres's yet (a big cluster would make -R slow).
                var owned = await ProcessRunner.RunAsync("runuser", ["-u", PostgresUser, "--", "test", "-O", dataDir],
                    TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
                if (owned.ExitCode != 0)
                {
                    logger.LogInformation("Giving {DataDirectory} to the postgres user", dataDir);
                    await ChownToPostgresAsync(dataDir, recursive: true, ct).ConfigureAwait(false);
                }
            }
            // PostgreSQL insists on 0700 (or 0750).
            File.SetUnixFileMode(dataDir, OwnerOnlyFolder.Mode);
        }

        private async Task InitDbAsync(CancellationToken ct)
        {
            if (Directory.EnumerateFileSystemEntries(dataDir).Any())
            {
                throw new EmbeddedPostgresException(
                    $"'{dataDir}' is not empty but holds no PostgreSQL cluster (no PG_VERSION). Empty it or choose another folder.");
            }
            logger.LogInformation("Creating a PostgreSQL cluster in {DataDirectory}", dataDir);
            // reject, not trust: until PasswordAuthentication has set the password, nobody at all may connect.
            var result = await PostgresProcess.RunAsync(binaries.InitDb,
                ["-D", dataDir, "-U", PostgresUser, "--auth=reject", "--encoding=UTF8", "--locale=C", "--no-sync"],
                options.StartTimeout, ct).ConfigureAwait(false);
            if (result.ExitCode != 0)
            {
                throw new EmbeddedPostgresException($"initdb failed on '{dataDir}' (exit {result.ExitCode}):{Environment.NewLine}{result.Output}");
            }
            await File.AppendAllTextAsync(Path.Combine(dataDir, "postgresql.conf"),
                $"{Environment.NewLine}# Written by MonitorService's EmbeddedPostgres at every start:{Environment.NewLine}include_if_exists = '{ConfFileName}'{Environment.NewLine}",
                ct).ConfigureAwait(false);
        }

        /// <summary>Reuses a live server on the folder, removes a stale postmaster.pid, or returns null when nothing runs.</summary>
        private async Task<EmbeddedPostgres?> TryReuseRunningServerAsync(CancellationToken ct)
        {
            if (!File.Exists(PidFile))
            {
                return null;
            }
            var lines = await ReadPidFileAsync(ct).ConfigureAwait(false);
            var status = await PostgresProcess.RunAsync(binaries.PgCtl, ["status", "-D", dataDir], TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
            var pid = lines.Length > 0 && int.TryParse(lines[0].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : 0;

            if (status.ExitCode != 0 || pid <= 0 || !IsPostgresProcess(pid))
            {
                logger.LogWarning("Removing stale {PidFile} (process {Pid} is not a running postgres; left over from a crash?)", PidFile, pid);
                TryDelete(PidFile);
                return null;
            }

            var port = lines.Length > 3 && int.TryParse(lines[3].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pp) ? pp : 0;
            var listen = lines.Length > 5 ? lines[5].Trim() : "";
            if (port <= 0 || listen.Length == 0)
            {
                throw new EmbeddedPostgresException(
                    $"A PostgreSQL server (pid {pid}) already runs on '{dataDir}' but does not listen on TCP. Stop it (pg_ctl stop -D {dataDir}) and start again.");
            }
            if (listen is not ("127.0.0.1" or "*" or "0.0.0.0" or "localhost"))
            {
                throw new EmbeddedPostgresException(
                    $"A PostgreSQL server (pid {pid}) already runs on '{dataDir}' listening on {listen}, not 127.0.0.1. Stop it (pg_ctl stop -D {dataDir}) and start again.");
            }

            var owner = await ReadOwnerAsync(ct).ConfigureAwait(false);
            var adopt = owner is int o && o != Environment.ProcessId && !IsProcessAlive(o);
            // A server left running by an earlier version uses trust and has no password file yet: make one for the conversion below.
            var password = ClusterPassword.TryRead(dataDir) ?? ClusterPassword.Create(dataDir);
            var server = new EmbeddedPostgres(binaries, logger, dataDir, port, password, options.DatabaseName, ownsServer: adopt, temporarySocketDirectory: null)
            {
                _postmasterPid = pid,
            };
            try
            {
                await WaitUntilAcceptingAsync(server.AdminConnectionString, TimeSpan.FromSeconds(15), ct).ConfigureAwait(false);
            }
            catch (EmbeddedPostgresException ex)
            {
                throw new EmbeddedPostgresException(
                    $"A PostgreSQL server (pid {pid}) already runs on '{dataDir}' (port {port}) but does not accept connections. " +
                    $"Stop it (pg_ctl stop -D {dataDir}) and start again.", ex);
            }
            await PasswordAuthentication.EnsureWhileRunningAsync(server.AdminConnectionString, dataDir, TimeSpan.FromSeconds(15), logger, ct).ConfigureAwait(false);
            if (adopt)
            {
                await File.WriteAllTextAsync(OwnerFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
                logger.LogWarning("Adopting the PostgreSQL server (pid {Pid}, port {Port}) left running on {DataDirectory} by process {Owner}, which has exited",
                    pid, port, dataDir, owner);
            }
            else
            {
                logger.LogInformation("A PostgreSQL server (pid {Pid}) already runs on {DataDirectory}; reusing it on port {Port} without taking over its shutdown",
                    pid, dataDir, port);
            }
            await EnsureDatabaseAsync(server.AdminConnectionString, options.DatabaseName, logger, ct).ConfigureAwait(false);
            return server;
        }

        private async Task<(string SocketDir, string? Temporary)> PrepareSocketDirectoryAsync(CancellationToken ct)
        {
            var socketDir = Path.Combine(parent, Path.GetFileName(dataDir) + "-socket");
            string? temporary = null;
            if (Encoding.UTF8.GetByteCount(socketDir) + "/.s.PGSQL.65535.lock".Length > MaxSocketPath)
            {
                socketDir = temporary = Directory.CreateTempSubdirectory("monitor-pg-sock-").FullName;
                logger.LogDebug("Socket folder path too long; using {SocketDirectory}", socketDir);
            }
            OwnerOnlyFolder.Ensure(socketDir, "socket folder");
            if (Environment.IsPrivilegedProcess)
            {
                await ChownToPostgresAsync(socketDir, recursive: false, ct).ConfigureAwait(false);
            }
            File.SetUnixFileMode(socketDir, OwnerOnlyFolder.Mode);
            return (socketDir, temporary);
        }

        private async Task WriteConfigurationAsync(int port, string socketDir, CancellationToken ct)
        {
            var sb = new StringBuilder();
            sb.AppendLine("# Rewritten by MonitorService's EmbeddedPostgres at every start; edits are lost.");
            sb.AppendLine("listen_addresses = '127.0.0.1'");
            sb.AppendLine(CultureInfo.InvariantCulture, $"port = {port}");
            sb.AppendLine(CultureInfo.InvariantCulture, $"unix_socket_directories = {Quote(socketDir)}");
            sb.AppendLine(CultureInfo.InvariantCulture, $"fsync = {(options.Fsync ? "on" : "off")}");
            foreach (var (name, value) in options.Settings)
            {
                if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
                {
                    throw new ArgumentException($"Invalid PostgreSQL setting name '{name}'.", nameof(options));
                }
                sb.AppendLine(CultureInfo.InvariantCulture, $"{name} = {Quote(value)}");
            }
            var path = Path.Combine(dataDir, ConfFileName);
            await File.WriteAllTextAsync(path, sb.ToString(), ct).ConfigureAwait(false);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

            static string Quote(string v) => "'" + v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";
        }

        private void RotateLog()
        {
            try
            {
                var info = new FileInfo(LogFile);
                if (info.Exists && info.Length > 10 * 1024 * 1024)
                {
                    File.Move(LogFile, LogFile + ".1", overwrite: true);
                }
            }
            catch (IOException ex)
            {
                logger.LogDebug(ex, "Could not rotate {LogFile}", LogFile);
            }
        }

        private string ReadLogTail()
        {
            try
            {
                return File.Exists(LogFile) ? PostgresBinaries.Tail(File.ReadAllText(LogFile)) : "(no log)";
            }
            catch (IOException ex)
            {
                return $"(log unreadable: {ex.Message})";
            }
        }

        private static string LastLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "";

        private async Task<string[]> ReadPidFileAsync(CancellationToken ct)
        {
            try
            {
                return await File.ReadAllLinesAsync(PidFile, ct).ConfigureAwait(false);
            }
            catch (FileNotFoundException)
            {
                return [];
            }
        }

        private async Task<int?> ReadOwnerAsync(CancellationToken ct)
        {
            try
            {
                var text = await File.ReadAllTextAsync(OwnerFile, ct).ConfigureAwait(false);
                return int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;
            }
            catch (FileNotFoundException)
            {
                return null;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static async Task ChownToPostgresAsync(string path, bool recursive, CancellationToken ct)
    {
        // -h: change a symbolic link itself, never its target (with -R no link below is followed either).
        IEnumerable<string> args = recursive ? ["-R", "-h", "postgres:postgres", path] : ["-h", "postgres:postgres", path];
        var result = await ProcessRunner.RunAsync("chown", args, TimeSpan.FromMinutes(5), ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new EmbeddedPostgresException($"chown postgres '{path}' failed: {result.Output}. Is there a 'postgres' user (it comes with the postgresql package)?");
        }
    }

    /// <summary>
    /// Root only: checks the postgres user can reach the data folder's parent. If not, relocates (see remarks) or throws.
    /// </summary>
    private static async Task<string> EnsureReachableByPostgresAsync(string dataDir, EmbeddedPostgresOptions options, ILogger logger, CancellationToken ct)
    {
        var parent = Path.GetDirectoryName(dataDir)!;
        Directory.CreateDirectory(parent);
        var check = await ProcessRunner.RunAsync("runuser", ["-u", PostgresUser, "--", "test", "-x", parent], TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
        if (check.ExitCode == 0)
        {
            return dataDir;
        }

        var hint = $"The postgres user cannot reach '{parent}' (a parent folder lacks search permission for it, as /root usually does). " +
                   $"Choose a data folder postgres can reach (e.g. /var/lib/monitorservice/postgres), or grant only traversal, e.g. `setfacl -m u:postgres:x <each parent>`.";
        if (File.Exists(Path.Combine(dataDir, "PG_VERSION")))
        {
            throw new EmbeddedPostgresException(hint + " (The folder already holds a cluster, so it is not relocated.)");
        }
        if (!options.RelocateWhenUnreachable)
        {
            throw new EmbeddedPostgresException(hint);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataDir)))[..8];
        var relocatedParent = Path.Combine(PostgresHome(), "monitorservice", $"{Path.GetFileName(dataDir)}-{hash}");
        var relocated = Path.Combine(relocatedParent, "data");
        var mkdir = await ProcessRunner.RunAsync("runuser", ["-u", PostgresUser, "--", "mkdir", "-p", relocatedParent], TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
        if (mkdir.ExitCode != 0)
        {
            throw new EmbeddedPostgresException(hint + $" Relocating to '{relocated}' failed too: {mkdir.Output}");
        }
        logger.LogWarning("The postgres user cannot reach {Requested}; keeping the PostgreSQL cluster in {Relocated} instead (permissions are left unchanged)",
            dataDir, relocated);
        return relocated;
    }

    private static string PostgresHome()
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var f = line.Split(':');
                if (f.Length >= 6 && f[0] == PostgresUser && f[5].Length > 1)
                {
                    return f[5];
                }
            }
        }
        catch (IOException)
        {
        }
        return "/var/lib/postgresql";
    }

    private static async Task<FileStream> AcquireStartLockAsync(string parent, string name, TimeSpan timeout, ILogger logger, CancellationToken ct)
    {
        var path = Path.Combine(parent, $".{name}.start.lock");
        OwnerOnlyFolder.RefuseSymbolicLink(path, "start lock file");
        var deadline = DateTime.UtcNow + timeout;
        var logged = false;
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive flock on Unix: one start per folder at a time, across processes.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                if (!logged)
                {
                    logger.LogInformation("Waiting for another start on {DataDirectory} to finish", Path.Combine(parent, name));
                    logged = true;
                }
                await Task.Delay(100, ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task WaitUntilAcceptingAsync(string connectionString, TimeSpan timeout, CancellationToken ct)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 5 }.ConnectionString;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await using var conn = new NpgsqlConnection(cs);
                await conn.OpenAsync(ct).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException && !ct.IsCancellationRequested)
            {
                if (DateTime.UtcNow >= deadline)
                {
                    throw new EmbeddedPostgresException($"PostgreSQL did not accept connections within {timeout.TotalSeconds:0} s: {ex.Message}", ex);
                }
                await Task.Delay(200, ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task EnsureDatabaseAsync(string adminConnectionString, string database, ILogger logger, CancellationToken ct)
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
        await using var create = new NpgsqlCommand($"CREATE DATABASE {QuoteIdentifier(database)}", conn);
        try
        {
            await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // created concurrently: fine
        }
    }

    /// <summary>Quotes a PostgreSQL identifier ("a""b").</summary>
    public static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static int ReadPostmasterPid(string dataDir)
    {
        try
        {
            var first = File.ReadLines(Path.Combine(dataDir, "postmaster.pid")).FirstOrDefault();
            return int.TryParse(first?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static bool IsPostgresProcess(int pid)
    {
        var comm = $"/proc/{pid}/comm";
        if (Directory.Exists("/proc/self"))
        {
            try
            {
                return File.ReadAllText(comm).Trim() is "postgres" or "postmaster";
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return true; // exists, cannot tell
            }
        }
        return IsProcessAlive(pid);
    }

    private static bool IsProcessAlive(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
