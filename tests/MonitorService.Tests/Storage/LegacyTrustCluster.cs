using System.Globalization;
using MonitorService.Storage.Embedded;

namespace MonitorService.Tests.Storage;

/// <summary>
/// A cluster made the way versions before the password fix made it: <c>initdb --auth=trust</c>, the include line for
/// monitor-embedded.conf, and (for a running one) that file with a TCP listener on 127.0.0.1.
/// </summary>
internal static class LegacyTrustCluster
{
    public static async Task CreateAsync(string dataDir)
    {
        var bin = PostgresBinaries.TryFind() ?? throw new InvalidOperationException("no PostgreSQL binaries");
        Directory.CreateDirectory(dataDir);
        await GiveToServerUserAsync(dataDir);
        File.SetUnixFileMode(dataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var initdb = await OsProcess.RunPostgresBinaryAsync(bin.InitDb,
            "-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync");
        Assert.True(initdb.ExitCode == 0, initdb.Output);
        await File.AppendAllTextAsync(Path.Combine(dataDir, "postgresql.conf"), "\ninclude_if_exists = 'monitor-embedded.conf'\n");
        Assert.Contains(File.ReadAllLines(Path.Combine(dataDir, "pg_hba.conf")), IsTrustLine);
    }

    /// <summary>Starts the legacy cluster as an earlier version's process would have left it running; returns its port.</summary>
    public static async Task<int> StartAsync(string dataDir, string socketDir)
    {
        var bin = PostgresBinaries.TryFind()!;
        Directory.CreateDirectory(socketDir);
        await GiveToServerUserAsync(socketDir);
        var port = SharedPort.Probe(System.Net.IPAddress.Loopback);
        await File.WriteAllTextAsync(Path.Combine(dataDir, "monitor-embedded.conf"),
            $"listen_addresses = '127.0.0.1'\nport = {port.ToString(CultureInfo.InvariantCulture)}\nunix_socket_directories = '{socketDir}'\nfsync = off\n");
        var start = await OsProcess.RunPostgresBinaryAsync(bin.PgCtl, "start", "-D", dataDir, "-l", Path.Combine(dataDir, "legacy.log"), "-w", "-t", "60");
        Assert.True(start.ExitCode == 0, start.Output);
        return port;
    }

    public static Task StopAsync(string dataDir)
        => OsProcess.RunPostgresBinaryAsync(PostgresBinaries.TryFind()!.PgCtl, "stop", "-D", dataDir, "-m", "fast", "-w");

    public static bool IsTrustLine(string line)
    {
        var content = line.Split('#')[0];
        return content.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Contains("trust");
    }

    private static async Task GiveToServerUserAsync(string path)
    {
        if (Environment.IsPrivilegedProcess)
        {
            var chown = await OsProcess.RunAsync("chown", ["-R", "postgres:postgres", path]);
            Assert.True(chown.ExitCode == 0, chown.Output);
        }
    }
}
