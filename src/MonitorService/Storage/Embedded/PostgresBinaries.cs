using System.Globalization;
using Microsoft.Extensions.Logging;

namespace MonitorService.Storage.Embedded;

/// <summary>Locates (and, if allowed, installs) the PostgreSQL server binaries.</summary>
public sealed class PostgresBinaries
{
    private PostgresBinaries(string directory) => Directory = directory;

    /// <summary>The folder holding initdb, pg_ctl and postgres (symbolic links resolved).</summary>
    public string Directory { get; }

    public string InitDb => Path.Combine(Directory, "initdb");
    public string PgCtl => Path.Combine(Directory, "pg_ctl");
    public string Postgres => Path.Combine(Directory, "postgres");

    public const string AutoInstallVariable = "MONITOR_POSTGRES_AUTO_INSTALL";
    public const string BinDirectoryVariable = "MONITOR_POSTGRES_BIN";

    /// <summary>Finds the binaries: explicit folder, MONITOR_POSTGRES_BIN, PATH, then /usr/lib/postgresql/*/bin (newest version).</summary>
    public static PostgresBinaries? TryFind(string? explicitDirectory = null)
    {
        foreach (var candidate in Candidates(explicitDirectory))
        {
            var resolved = Resolve(candidate);
            if (resolved is not null)
            {
                return new PostgresBinaries(resolved);
            }
        }
        return null;
    }

    /// <summary>
    /// Like <see cref="TryFind"/>, but installs the Debian package when allowed (root and either
    /// <paramref name="allowAptInstall"/> or MONITOR_POSTGRES_AUTO_INSTALL=1), else throws a message telling why
    /// nothing was installed and what to do.
    /// </summary>
    public static async Task<PostgresBinaries> FindOrInstallAsync(
        string? explicitDirectory, bool allowAptInstall, ILogger logger, CancellationToken ct)
    {
        var found = TryFind(explicitDirectory);
        if (found is not null)
        {
            return found;
        }

        var allowed = allowAptInstall || Environment.GetEnvironmentVariable(AutoInstallVariable) == "1";
        if (allowed && Environment.IsPrivilegedProcess && File.Exists("/usr/bin/apt-get"))
        {
            logger.LogWarning("PostgreSQL binaries not found; installing the Debian package 'postgresql' with apt-get");
            var env = new Dictionary<string, string> { ["DEBIAN_FRONTEND"] = "noninteractive" };
            var update = await ProcessRunner.RunAsync("apt-get", ["update"], TimeSpan.FromMinutes(5), ct, env).ConfigureAwait(false);
            logger.LogInformation("apt-get update exited with {ExitCode}", update.ExitCode);
            var install = await ProcessRunner.RunAsync(
                "apt-get", ["install", "-y", "--no-install-recommends", "postgresql"], TimeSpan.FromMinutes(10), ct, env).ConfigureAwait(false);
            if (install.ExitCode != 0)
            {
                throw new EmbeddedPostgresException(
                    $"apt-get install postgresql failed (exit {install.ExitCode}):{Environment.NewLine}{Tail(install.Output)}");
            }
            found = TryFind(explicitDirectory);
            if (found is not null)
            {
                return found;
            }
        }

        throw new EmbeddedPostgresException(
            "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found " +
            (string.IsNullOrWhiteSpace(explicitDirectory) ? "on PATH or in /usr/lib/postgresql/*/bin" : $"in '{explicitDirectory}'") +
            $" and were not installed automatically ({WhyNotInstalled(allowed)}). " +
            "Either install them (Debian/Ubuntu: `sudo apt-get install postgresql`), point " + BinDirectoryVariable +
            " at the folder holding them, or configure a connection string to an existing PostgreSQL server.");
    }

    private static string WhyNotInstalled(bool allowed)
        => !allowed ? "Storage:AutoInstallPostgres is false"
            : !Environment.IsPrivilegedProcess ? "only a process running as root installs them"
            : !File.Exists("/usr/bin/apt-get") ? "no apt-get on this machine"
            : "apt-get install postgresql did not provide them";

    private static IEnumerable<string> Candidates(string? explicitDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            yield return explicitDirectory;
            yield break;
        }
        var fromEnv = Environment.GetEnvironmentVariable(BinDirectoryVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            yield return fromEnv;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            yield return dir;
        }
        foreach (var dir in VersionedDirectories("/usr/lib/postgresql", static d => Path.GetFileName(d), "bin"))
        {
            yield return dir;
        }
        foreach (var dir in VersionedDirectories("/usr/pgsql-*", static d => Path.GetFileName(d)["pgsql-".Length..], "bin"))
        {
            yield return dir;
        }
    }

    private static IEnumerable<string> VersionedDirectories(string pattern, Func<string, string> versionOf, string sub)
    {
        var root = pattern.EndsWith('*') ? Path.GetDirectoryName(pattern)! : pattern;
        var search = pattern.EndsWith('*') ? Path.GetFileName(pattern) : "*";
        if (!System.IO.Directory.Exists(root))
        {
            return [];
        }
        return System.IO.Directory.GetDirectories(root, search)
            .Select(d => (Dir: d, Version: ParseVersion(versionOf(d))))
            .Where(x => x.Version is not null)
            .OrderByDescending(x => x.Version)
            .Select(x => Path.Combine(x.Dir, sub));
    }

    private static Version? ParseVersion(string text)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var major))
        {
            return new Version(major, 0);
        }
        return Version.TryParse(text, out var v) ? v : null;
    }

    /// <summary>Returns the real folder of initdb in <paramref name="dir"/> if pg_ctl and postgres sit beside it.</summary>
    private static string? Resolve(string dir)
    {
        try
        {
            var initdb = new FileInfo(Path.Combine(dir, "initdb"));
            if (!initdb.Exists)
            {
                return null;
            }
            var target = initdb.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? initdb;
            var realDir = target.DirectoryName;
            if (realDir is null)
            {
                return null;
            }
            return File.Exists(Path.Combine(realDir, "pg_ctl")) && File.Exists(Path.Combine(realDir, "postgres"))
                ? realDir
                : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    internal static string Tail(string text, int lines = 20)
        => string.Join(Environment.NewLine, text.Split('\n').TakeLast(lines)).Trim();
}
