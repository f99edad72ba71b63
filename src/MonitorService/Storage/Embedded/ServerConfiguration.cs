using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MonitorService.Storage.Embedded;

/// <summary>
/// The server's settings: <c>monitor-embedded.conf</c>, included from postgresql.conf and rewritten at every start
/// (listener, port, socket folder, fsync, extra settings). A file of our own: no shell quoting involved.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class ServerConfiguration
{
    private const string FileName = "monitor-embedded.conf";

    /// <summary>Makes a new cluster's postgresql.conf read our file (once, right after initdb).</summary>
    public static Task IncludeFromPostgresqlConfAsync(string dataDir, CancellationToken ct)
        => File.AppendAllTextAsync(Path.Combine(dataDir, "postgresql.conf"),
            $"{Environment.NewLine}# Written by MonitorService's EmbeddedPostgres at every start:{Environment.NewLine}include_if_exists = '{FileName}'{Environment.NewLine}",
            ct);

    public static async Task WriteAsync(string dataDir, int port, string socketDir, EmbeddedPostgresOptions options, CancellationToken ct)
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
        var path = Path.Combine(dataDir, FileName);
        await File.WriteAllTextAsync(path, sb.ToString(), ct).ConfigureAwait(false);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        static string Quote(string v) => "'" + v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>A port free on 127.0.0.1 right now (another process may take it before the server binds: the start retries).</summary>
    public static int FreeLoopbackPort()
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
}
