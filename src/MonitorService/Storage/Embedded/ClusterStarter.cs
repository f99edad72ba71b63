using System.Globalization;
using Microsoft.Extensions.Logging;

namespace MonitorService.Storage.Embedded;

/// <summary>
/// One start on a data folder (under the start lock): the folder, initdb for a new cluster, reuse of a server that
/// already runs, the password, then <c>pg_ctl start</c> on a free port (retried when the port was taken meanwhile)
/// and readiness.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class ClusterStarter(PostgresBinaries binaries, EmbeddedPostgresOptions options, ILogger logger, string dataDir, string parent)
{
    private const int StartAttempts = 3;

    private readonly ServerLog _log = new(dataDir, logger);

    public async Task<EmbeddedPostgres> RunAsync(CancellationToken ct)
    {
        await EnsureDataDirectoryAsync(ct).ConfigureAwait(false);

        if (!File.Exists(Path.Combine(dataDir, "PG_VERSION")))
        {
            await InitDbAsync(ct).ConfigureAwait(false);
        }

        var reused = await RunningServer.TryReuseAsync(binaries, options, logger, dataDir, ct).ConfigureAwait(false);
        if (reused is not null)
        {
            return reused;
        }

        var password = await PasswordAuthentication.EnsureWhileStoppedAsync(binaries, dataDir, options.StartTimeout, logger, ct).ConfigureAwait(false);
        var socket = await SocketFolder.PrepareAsync(parent, dataDir, logger, ct).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var port = options.Port ?? ServerConfiguration.FreeLoopbackPort();
            await ServerConfiguration.WriteAsync(dataDir, port, socket.Path, options, ct).ConfigureAwait(false);
            _log.Rotate();
            logger.LogInformation("Starting PostgreSQL on {DataDirectory}, 127.0.0.1:{Port}", dataDir, port);
            var timeoutSeconds = ((int)options.StartTimeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            var result = await PostgresProcess.RunAsync(binaries.PgCtl,
                ["start", "-D", dataDir, "-l", _log.FilePath, "-w", "-t", timeoutSeconds],
                options.StartTimeout + TimeSpan.FromSeconds(15), ct).ConfigureAwait(false);
            if (result.ExitCode == 0)
            {
                return await ConnectToStartedServerAsync(port, password, socket, ct).ConfigureAwait(false);
            }

            var log = _log.ReadTail();
            var retryable = log.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
                || log.Contains("shared memory block is still in use", StringComparison.OrdinalIgnoreCase);
            if (attempt < StartAttempts && retryable)
            {
                logger.LogWarning("PostgreSQL start attempt {Attempt} failed ({Reason}); retrying", attempt, ServerLog.LastLine(log));
                await Task.Delay(TimeSpan.FromSeconds(attempt), options.TimeProvider, ct).ConfigureAwait(false);
                continue;
            }
            throw new EmbeddedPostgresException(
                $"pg_ctl start failed on '{dataDir}' (exit {result.ExitCode}).{Environment.NewLine}{result.Output}{Environment.NewLine}" +
                $"Server log ({_log.FilePath}):{Environment.NewLine}{log}");
        }
    }

    private async Task<EmbeddedPostgres> ConnectToStartedServerAsync(int port, string password, SocketFolder socket, CancellationToken ct)
    {
        await ServerOwner.ClaimAsync(dataDir, ct).ConfigureAwait(false);
        var server = new EmbeddedPostgres(binaries, logger, dataDir, port, password, options.DatabaseName,
            ownsServer: true, postmasterPid: PostmasterPidFile.ReadPid(dataDir), socket.IsTemporary ? socket.Path : null);
        try
        {
            await Readiness.WaitUntilAcceptingAsync(server.AdminConnectionString, options.StartTimeout, options.TimeProvider, ct).ConfigureAwait(false);
            await Readiness.EnsureDatabaseAsync(server.AdminConnectionString, options.DatabaseName, logger, ct).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        logger.LogInformation("PostgreSQL is ready on 127.0.0.1:{Port} (database {Database})", port, options.DatabaseName);
        return server;
    }

    private async Task EnsureDataDirectoryAsync(CancellationToken ct)
    {
        OwnerOnlyFolder.Ensure(dataDir, "data folder");
        // Only walk the tree when the top folder is not postgres's yet (a big cluster would make -R slow).
        if (Environment.IsPrivilegedProcess && !await PostgresAccount.OwnsAsync(dataDir, ct).ConfigureAwait(false))
        {
            logger.LogInformation("Giving {DataDirectory} to the postgres user", dataDir);
            await PostgresAccount.ChownAsync(dataDir, recursive: true, ct).ConfigureAwait(false);
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
            ["-D", dataDir, "-U", EmbeddedPostgres.Superuser, "--auth=reject", "--encoding=UTF8", "--locale=C", "--no-sync"],
            options.StartTimeout, ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new EmbeddedPostgresException($"initdb failed on '{dataDir}' (exit {result.ExitCode}):{Environment.NewLine}{result.Output}");
        }
        await ServerConfiguration.IncludeFromPostgresqlConfAsync(dataDir, ct).ConfigureAwait(false);
    }
}
