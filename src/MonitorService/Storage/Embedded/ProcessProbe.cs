namespace MonitorService.Storage.Embedded;

/// <summary>Whether a pid names a live process, and whether that process is a PostgreSQL server.</summary>
internal static class ProcessProbe
{
    /// <summary>A pid from a stale postmaster.pid may since have been reused by any process: look at its name.</summary>
    public static bool IsPostgres(int pid)
    {
        if (Directory.Exists("/proc/self"))
        {
            try
            {
                return File.ReadAllText($"/proc/{pid}/comm").Trim() is "postgres" or "postmaster";
            }
            catch (IOException)
            {
                return false;
            }
            catch (UnauthorizedAccessException)
            {
                return true; // exists, cannot tell
            }
        }
        return IsAlive(pid);
    }

    public static bool IsAlive(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
