using Microsoft.Extensions.Logging;
using Npgsql;

namespace MonitorService.Storage.Embedded;

/// <summary>
/// Makes the cluster require the stored password (<see cref="ClusterPassword"/>) for every connection: gives the
/// superuser that password and writes the pg_hba.conf of <see cref="ClientAuthentication"/>. New clusters (initdb
/// <c>--auth=reject</c>) and clusters made with <c>trust</c> by earlier versions take the same path.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class PasswordAuthentication
{
    /// <summary>
    /// With the server stopped: when needed, sets the password in single-user mode (<c>postgres --single</c> listens
    /// on nothing, so there is no moment at which anyone else could connect) and then rewrites pg_hba.conf.
    /// Returns the password. The order (password file, role, pg_hba.conf) makes an interrupted run finish next time.
    /// </summary>
    public static async Task<string> EnsureWhileStoppedAsync(PostgresBinaries binaries, string dataDir, TimeSpan timeout, ILogger logger, CancellationToken ct)
    {
        var password = ClusterPassword.TryRead(dataDir);
        if (password is not null && ClientAuthentication.IsCurrent(dataDir))
        {
            return password;
        }
        LogConversion(dataDir, logger);
        password ??= ClusterPassword.Create(dataDir);
        var verifier = ScramVerifier.Create(password);
        var result = await PostgresProcess.RunAsync(binaries.Postgres,
            ["--single", "-D", dataDir, "-c", "exit_on_error=on", "-j", "postgres"],
            timeout, ct, standardInput: AlterPasswordStatement(verifier) + ";\n").ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new EmbeddedPostgresException(
                $"Setting the superuser password of '{dataDir}' in single-user mode failed (exit {result.ExitCode}):{Environment.NewLine}" +
                result.Output.Replace(verifier, "(verifier)", StringComparison.Ordinal));
        }
        await ClientAuthentication.WriteAsync(dataDir, ct).ConfigureAwait(false);
        return password;
    }

    /// <summary>
    /// With a server already running on the folder (left by an earlier version, which used trust): sets the password
    /// over <paramref name="adminConnectionString"/>, rewrites pg_hba.conf, reloads it and waits until a
    /// connection without the password is refused.
    /// </summary>
    public static async Task EnsureWhileRunningAsync(
        string adminConnectionString, string dataDir, TimeSpan timeout, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        if (ClientAuthentication.IsCurrent(dataDir))
        {
            return;
        }
        LogConversion(dataDir, logger);
        var builder = new NpgsqlConnectionStringBuilder(adminConnectionString) { Pooling = false };
        await using (var conn = new NpgsqlConnection(builder.ConnectionString))
        {
            await conn.OpenAsync(ct).ConfigureAwait(false);
            await using (var alter = new NpgsqlCommand(AlterPasswordStatement(ScramVerifier.Create(builder.Password!)), conn))
            {
                await alter.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            await ClientAuthentication.WriteAsync(dataDir, ct).ConfigureAwait(false);
            await using var reload = new NpgsqlCommand("SELECT pg_reload_conf()", conn);
            await reload.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        await WaitUntilPasswordRequiredAsync(builder, timeout, time, ct).ConfigureAwait(false);
    }

    /// <summary>The server applies a reload asynchronously: return only once it refuses a connection without password.</summary>
    private static async Task WaitUntilPasswordRequiredAsync(NpgsqlConnectionStringBuilder builder, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        var withoutPassword = new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Password = null, Passfile = "/dev/null" }.ConnectionString;
        using var timer = new CancellationTokenSource(timeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            while (true)
            {
                try
                {
                    await using var conn = new NpgsqlConnection(withoutPassword);
                    await conn.OpenAsync(deadline.Token).ConfigureAwait(false);
                }
                catch (NpgsqlException)
                {
                    return; // refused: the new pg_hba.conf is in force
                }
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new EmbeddedPostgresException(
                $"The PostgreSQL server on port {builder.Port} still accepts connections without a password {timeout.TotalSeconds:0} s after its pg_hba.conf was rewritten.");
        }
    }

    private static void LogConversion(string dataDir, ILogger logger)
    {
        if (ClientAuthentication.HasTrustLine(dataDir))
        {
            logger.LogWarning("Converting the PostgreSQL cluster in {DataDirectory} from password-less (trust) access to a password only the service's user can read", dataDir);
        }
        else
        {
            logger.LogInformation("Setting the superuser password of the PostgreSQL cluster in {DataDirectory} and requiring it for every connection", dataDir);
        }
    }

    // The verifier is base64 plus '$' and ':'; quoted anyway.
    private static string AlterPasswordStatement(string verifier)
        => $"ALTER ROLE {EmbeddedPostgres.QuoteIdentifier(EmbeddedPostgres.Superuser)} PASSWORD '{verifier.Replace("'", "''", StringComparison.Ordinal)}'";
}
