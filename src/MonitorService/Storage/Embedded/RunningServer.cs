using Microsoft.Extensions.Logging;

namespace MonitorService.Storage.Embedded;

/// <summary>
/// A server found already running on the data folder: reused (its owner still runs and will stop it), adopted (its
/// owner died; we stop it), or — when postmaster.pid is a crash leftover — removed so that a new server can start.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class RunningServer
{
    private static readonly TimeSpan AcceptTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The running server, or null when nothing runs on the folder (a stale postmaster.pid is removed).</summary>
    public static async Task<EmbeddedPostgres?> TryReuseAsync(
        PostgresBinaries binaries, EmbeddedPostgresOptions options, ILogger logger, string dataDir, CancellationToken ct)
    {
        if (!PostmasterPidFile.ExistsIn(dataDir))
        {
            return null;
        }
        var pidFile = await PostmasterPidFile.ReadAsync(dataDir, ct).ConfigureAwait(false) ?? new PostmasterPidFile(0, 0, "");
        var status = await PostgresProcess.RunAsync(binaries.PgCtl, ["status", "-D", dataDir], TimeSpan.FromSeconds(30), ct).ConfigureAwait(false);
        var pid = pidFile.Pid;

        if (status.ExitCode != 0 || pid <= 0 || !ProcessProbe.IsPostgres(pid))
        {
            logger.LogWarning("Removing stale {PidFile} (process {Pid} is not a running postgres; left over from a crash?)", PostmasterPidFile.PathIn(dataDir), pid);
            BestEffort.DeleteFile(PostmasterPidFile.PathIn(dataDir));
            return null;
        }

        var port = pidFile.Port;
        var listen = pidFile.ListenAddress;
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

        var owner = await ServerOwner.ReadAsync(dataDir, ct).ConfigureAwait(false);
        var adopt = ServerOwner.HasDied(owner);
        // A server left running by an earlier version uses trust and has no password file yet: make one for the conversion below.
        var password = ClusterPassword.TryRead(dataDir) ?? ClusterPassword.Create(dataDir);
        var server = new EmbeddedPostgres(binaries, logger, dataDir, port, password, options.DatabaseName,
            ownsServer: adopt, postmasterPid: pid, temporarySocketDirectory: null);
        try
        {
            await Readiness.WaitUntilAcceptingAsync(server.AdminConnectionString, AcceptTimeout, options.TimeProvider, ct).ConfigureAwait(false);
        }
        catch (EmbeddedPostgresException ex)
        {
            throw new EmbeddedPostgresException(
                $"A PostgreSQL server (pid {pid}) already runs on '{dataDir}' (port {port}) but does not accept connections. " +
                $"Stop it (pg_ctl stop -D {dataDir}) and start again.", ex);
        }
        await PasswordAuthentication.EnsureWhileRunningAsync(server.AdminConnectionString, dataDir, AcceptTimeout, options.TimeProvider, logger, ct).ConfigureAwait(false);
        if (adopt)
        {
            await ServerOwner.ClaimAsync(dataDir, ct).ConfigureAwait(false);
            logger.LogWarning("Adopting the PostgreSQL server (pid {Pid}, port {Port}) left running on {DataDirectory} by process {Owner}, which has exited",
                pid, port, dataDir, owner);
        }
        else
        {
            logger.LogInformation("A PostgreSQL server (pid {Pid}) already runs on {DataDirectory}; reusing it on port {Port} without taking over its shutdown",
                pid, dataDir, port);
        }
        await Readiness.EnsureDatabaseAsync(server.AdminConnectionString, options.DatabaseName, logger, ct).ConfigureAwait(false);
        return server;
    }
}
