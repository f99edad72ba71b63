namespace MonitorService.Storage.Embedded;

/// <summary>
/// The embedded cluster's pg_hba.conf: every connection, socket or loopback TCP, must prove the password
/// (scram-sha-256). No <c>trust</c> line, ever: with one, any local account could connect as superuser.
/// </summary>
/// <remarks>The file is ours: whenever it differs from <see cref="Content"/> (an earlier version's trust file, an edit,
/// a write cut short) the start rewrites it, after making sure the superuser has the stored password.</remarks>
internal static class ClientAuthentication
{
    public const string FileName = "pg_hba.conf";

    public const string Content =
        "# Written by MonitorService's embedded PostgreSQL; rewritten at start when it differs. Every connection needs\n" +
        "# the superuser's password (monitor-embedded.password, readable by the service's user only).\n" +
        "# TYPE  DATABASE  USER  ADDRESS        METHOD\n" +
        "local   all       all                  scram-sha-256\n" +
        "host    all       all   127.0.0.1/32   scram-sha-256\n" +
        "host    all       all   ::1/128        scram-sha-256\n";

    public static bool IsCurrent(string dataDir)
    {
        try
        {
            return File.ReadAllText(Path.Combine(dataDir, FileName)) == Content;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    /// <summary>True when a line grants <c>trust</c> (as earlier versions' clusters do): only to tell a conversion in the log.</summary>
    public static bool HasTrustLine(string dataDir)
    {
        try
        {
            return File.ReadLines(Path.Combine(dataDir, FileName))
                .Any(line => line.Split('#')[0].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Contains("trust"));
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Overwrites the file in place, so that (as root) it keeps the postgres user's ownership the server needs to read it.</summary>
    public static Task WriteAsync(string dataDir, CancellationToken ct)
        => File.WriteAllTextAsync(Path.Combine(dataDir, FileName), Content, ct);
}
