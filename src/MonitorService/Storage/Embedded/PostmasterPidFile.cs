using System.Globalization;

namespace MonitorService.Storage.Embedded;

/// <summary>
/// What postmaster.pid says about the server on a data folder: line 1 the postmaster's pid, line 4 its port, line 6
/// its first listen address (PostgreSQL's layout).
/// </summary>
internal sealed record PostmasterPidFile(int Pid, int Port, string ListenAddress)
{
    public const string FileName = "postmaster.pid";

    public static string PathIn(string dataDir) => Path.Combine(dataDir, FileName);

    public static bool ExistsIn(string dataDir) => File.Exists(PathIn(dataDir));

    /// <summary>The file's content, or null when there is none (no server, or it stopped meanwhile).</summary>
    public static async Task<PostmasterPidFile?> ReadAsync(string dataDir, CancellationToken ct)
    {
        string[] lines;
        try
        {
            lines = await File.ReadAllLinesAsync(PathIn(dataDir), ct).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        return new PostmasterPidFile(
            Pid: lines.Length > 0 ? ParseOrZero(lines[0]) : 0,
            Port: lines.Length > 3 ? ParseOrZero(lines[3]) : 0,
            ListenAddress: lines.Length > 5 ? lines[5].Trim() : "");
    }

    /// <summary>The postmaster's pid, 0 when unknown.</summary>
    public static int ReadPid(string dataDir)
    {
        try
        {
            return ParseOrZero(File.ReadLines(PathIn(dataDir)).FirstOrDefault());
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static int ParseOrZero(string? line)
        => int.TryParse(line?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : 0;
}
