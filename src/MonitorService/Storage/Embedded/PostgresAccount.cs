using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace MonitorService.Storage.Embedded;

/// <summary>
/// Root only: the server runs as the <c>postgres</c> user (<see cref="PostgresProcess"/>), so its folders must be
/// that user's and reachable by it — without ever widening anybody's folder permissions.
/// </summary>
internal static class PostgresAccount
{
    private const string User = PostgresProcess.ServerUser;

    /// <summary>Gives <paramref name="path"/> (and, recursively, what it holds) to postgres.</summary>
    public static async Task ChownAsync(string path, bool recursive, CancellationToken ct)
    {
        // -h: change a symbolic link itself, never its target (with -R no link below is followed either).
        IEnumerable<string> args = recursive ? ["-R", "-h", "postgres:postgres", path] : ["-h", "postgres:postgres", path];
        var result = await ProcessRunner.RunAsync("chown", args, TimeSpan.FromMinutes(5), ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new EmbeddedPostgresException($"chown postgres '{path}' failed: {result.Output}. Is there a 'postgres' user (it comes with the postgresql package)?");
        }
    }

    /// <summary>Whether postgres owns <paramref name="path"/>.</summary>
    public static async Task<bool> OwnsAsync(string path, CancellationToken ct)
        => (await RunAsPostgresAsync(["test", "-O", path], ct).ConfigureAwait(false)).ExitCode == 0;

    /// <summary>
    /// The data folder to use: <paramref name="dataDir"/> when postgres can reach its parent; otherwise (e.g. under
    /// /root) a stable folder under the postgres user's home when relocation is allowed and the folder holds no
    /// cluster yet, else an error saying how to grant traversal.
    /// </summary>
    public static async Task<string> EnsureReachableAsync(string dataDir, EmbeddedPostgresOptions options, ILogger logger, CancellationToken ct)
    {
        var parent = Path.GetDirectoryName(dataDir)!;
        Directory.CreateDirectory(parent);
        var check = await RunAsPostgresAsync(["test", "-x", parent], ct).ConfigureAwait(false);
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
        var relocatedParent = Path.Combine(Home(), "monitorservice", $"{Path.GetFileName(dataDir)}-{hash}");
        var relocated = Path.Combine(relocatedParent, "data");
        var mkdir = await RunAsPostgresAsync(["mkdir", "-p", relocatedParent], ct).ConfigureAwait(false);
        if (mkdir.ExitCode != 0)
        {
            throw new EmbeddedPostgresException(hint + $" Relocating to '{relocated}' failed too: {mkdir.Output}");
        }
        logger.LogWarning("The postgres user cannot reach {Requested}; keeping the PostgreSQL cluster in {Relocated} instead (permissions are left unchanged)",
            dataDir, relocated);
        return relocated;
    }

    private static Task<ProcessResult> RunAsPostgresAsync(IEnumerable<string> command, CancellationToken ct)
        => ProcessRunner.RunAsync("runuser", ["-u", User, "--", .. command], TimeSpan.FromSeconds(30), ct);

    private static string Home()
    {
        try
        {
            foreach (var line in File.ReadLines("/etc/passwd"))
            {
                var f = line.Split(':');
                if (f.Length >= 6 && f[0] == User && f[5].Length > 1)
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
}
