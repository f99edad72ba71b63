using System.Text;
using Microsoft.Extensions.Logging;

namespace MonitorService.Storage.Embedded;

/// <summary>
/// Where the server puts its Unix socket: <c>NAME-socket</c> beside the data folder, 0700 (as root: postgres's), or a
/// temporary folder when that path is too long for a socket. Clients use TCP; pg_ctl uses the socket.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed record SocketFolder(string Path, bool IsTemporary)
{
    private const int MaxSocketPath = 100; // sun_path is 108 bytes; leave room for ".s.PGSQL.NNNNN.lock"

    public static async Task<SocketFolder> PrepareAsync(string parent, string dataDir, ILogger logger, CancellationToken ct)
    {
        var path = System.IO.Path.Combine(parent, System.IO.Path.GetFileName(dataDir) + "-socket");
        var temporary = false;
        if (Encoding.UTF8.GetByteCount(path) + "/.s.PGSQL.65535.lock".Length > MaxSocketPath)
        {
            path = Directory.CreateTempSubdirectory("monitor-pg-sock-").FullName;
            temporary = true;
            logger.LogDebug("Socket folder path too long; using {SocketDirectory}", path);
        }
        OwnerOnlyFolder.Ensure(path, "socket folder");
        if (Environment.IsPrivilegedProcess)
        {
            await PostgresAccount.ChownAsync(path, recursive: false, ct).ConfigureAwait(false);
        }
        File.SetUnixFileMode(path, OwnerOnlyFolder.Mode);
        return new SocketFolder(path, temporary);
    }
}
