using System.Security.Cryptography;

namespace MonitorService.Storage.Embedded;

/// <summary>
/// The embedded cluster's superuser password: random, generated once, kept in <c>monitor-embedded.password</c> inside
/// the data folder, readable by the service's user only.
/// </summary>
/// <remarks>
/// Why a password over TCP rather than a Unix socket with peer authentication: as root the server runs as
/// <c>postgres</c> while we connect as root, so peer authentication would need an ident map (root → postgres) that
/// lets any root process in, and a socket-only server also needs the socket path in every connection string handed to
/// other processes. A random password works the same for root and non-root runs, keeps the 127.0.0.1 listener the
/// rest of the service and the tests expect, and the file holding it sits in the 0700 data folder with mode 0600:
/// only the service's user (and, as root, the postgres user who runs the server anyway) can get at it.
/// </remarks>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class ClusterPassword
{
    public const string FileName = "monitor-embedded.password";

    private const int PasswordBytes = 32;

    /// <summary>The stored password, or null when there is none (new cluster, or made by an earlier version) or it is damaged.</summary>
    public static string? TryRead(string dataDir)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(dataDir, FileName)).Trim();
            return text.Length == PasswordBytes * 2 && text.All(char.IsAsciiHexDigitLower) ? text : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Generates a new password and stores it (mode 0600 from creation on; replaced atomically, never half-written).</summary>
    public static string Create(string dataDir)
    {
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PasswordBytes));
        var path = Path.Combine(dataDir, FileName);
        var temporary = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp";
        // CreateNew (O_EXCL) never follows a symbolic link someone may have planted; 0600 before the first byte is written.
        using (var file = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(file))
        {
            writer.WriteLine(password);
            writer.Flush();
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
        return password;
    }
}
