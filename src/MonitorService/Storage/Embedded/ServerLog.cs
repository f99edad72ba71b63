using Microsoft.Extensions.Logging;

namespace MonitorService.Storage.Embedded;

/// <summary><c>monitor-embedded.log</c>: the server's own log (pg_ctl -l), kept under 10 MiB, quoted in start errors.</summary>
internal sealed class ServerLog(string dataDir, ILogger logger)
{
    private const long RotateAt = 10 * 1024 * 1024;

    public string FilePath { get; } = Path.Combine(dataDir, "monitor-embedded.log");

    /// <summary>Before a start: a log past its size becomes <c>.1</c> (replacing the previous one).</summary>
    public void Rotate()
    {
        try
        {
            var info = new FileInfo(FilePath);
            if (info.Exists && info.Length > RotateAt)
            {
                File.Move(FilePath, FilePath + ".1", overwrite: true);
            }
        }
        catch (IOException ex)
        {
            logger.LogDebug(ex, "Could not rotate {LogFile}", FilePath);
        }
    }

    public string ReadTail()
    {
        try
        {
            return File.Exists(FilePath) ? PostgresBinaries.Tail(File.ReadAllText(FilePath)) : "(no log)";
        }
        catch (IOException ex)
        {
            return $"(log unreadable: {ex.Message})";
        }
    }

    public static string LastLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.Trim() ?? "";
}
