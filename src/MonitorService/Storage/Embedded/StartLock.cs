using Microsoft.Extensions.Logging;

namespace MonitorService.Storage.Embedded;

/// <summary>
/// <c>.NAME.start.lock</c> beside the data folder: one start per folder at a time, across processes, so two starts
/// never both run initdb or pg_ctl start on it.
/// </summary>
internal static class StartLock
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    public static async Task<FileStream> AcquireAsync(string parent, string name, TimeSpan timeout, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        var path = Path.Combine(parent, $".{name}.start.lock");
        OwnerOnlyFolder.RefuseSymbolicLink(path, "start lock file");
        using var deadline = new CancellationTokenSource(timeout, time);
        var logged = false;
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive flock on Unix.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (!deadline.IsCancellationRequested)
            {
                if (!logged)
                {
                    logger.LogInformation("Waiting for another start on {DataDirectory} to finish", Path.Combine(parent, name));
                    logged = true;
                }
                await Task.Delay(RetryDelay, time, ct).ConfigureAwait(false);
            }
        }
    }
}
