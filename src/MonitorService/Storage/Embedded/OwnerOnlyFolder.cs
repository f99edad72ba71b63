namespace MonitorService.Storage.Embedded;

/// <summary>
/// Folders of the embedded cluster (data, socket): created 0700, and never reached through a symbolic link.
/// </summary>
/// <remarks>
/// The data folder's parent may be shared (a temp folder, a project checkout): someone who plants a link at our path
/// must not get us to initialise, chmod or — as root — chown its target. A link is refused rather than resolved; an
/// operator who keeps the data elsewhere points <c>Storage:EmbeddedDirectory</c> at the real folder.
/// </remarks>
internal static class OwnerOnlyFolder
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Creates <paramref name="path"/> with mode 0700 when missing; throws when it is (or became) a symbolic link.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static void Ensure(string path, string role)
    {
        RefuseSymbolicLink(path, role);
        if (!Directory.Exists(path))
        {
            // Created 0700 from the start: no moment at which the folder is open to others.
            Directory.CreateDirectory(path, Mode);
        }
        // A link planted between the check and mkdir makes CreateDirectory succeed on the link's target: look again.
        RefuseSymbolicLink(path, role);
    }

    public static void RefuseSymbolicLink(string path, string role)
    {
        if (new FileInfo(path).LinkTarget is { } target)
        {
            throw new EmbeddedPostgresException(
                $"The PostgreSQL {role} '{path}' is a symbolic link (to '{target}'); it is not followed. " +
                "Remove it, or set Storage:EmbeddedDirectory to the real folder.");
        }
    }
}
