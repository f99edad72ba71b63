using System.Globalization;

namespace MonitorService.Storage.Embedded;

/// <summary>
/// <c>monitor-embedded.owner</c>: the pid of the process that started (or adopted) the server and will stop it.
/// Another instance finding the server running reuses it, and adopts it only when that process has died.
/// </summary>
internal static class ServerOwner
{
    private const string FileName = "monitor-embedded.owner";

    public static async Task<int?> ReadAsync(string dataDir, CancellationToken ct)
    {
        try
        {
            var text = await File.ReadAllTextAsync(PathIn(dataDir), ct).ConfigureAwait(false);
            return int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) ? pid : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    public static Task ClaimAsync(string dataDir, CancellationToken ct)
        => File.WriteAllTextAsync(PathIn(dataDir), Environment.ProcessId.ToString(CultureInfo.InvariantCulture), ct);

    public static void Release(string dataDir) => BestEffort.DeleteFile(PathIn(dataDir));

    /// <summary>True when <paramref name="owner"/> is another process that no longer runs (it crashed with the server up).</summary>
    public static bool HasDied(int? owner) => owner is int pid && pid != Environment.ProcessId && !ProcessProbe.IsAlive(pid);

    private static string PathIn(string dataDir) => Path.Combine(dataDir, FileName);
}
