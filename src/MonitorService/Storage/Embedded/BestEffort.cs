namespace MonitorService.Storage.Embedded;

/// <summary>Clean-ups whose failure must not hide the outcome they follow (a stop, a stale file).</summary>
internal static class BestEffort
{
    public static void DeleteFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public static void DeleteFolder(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
