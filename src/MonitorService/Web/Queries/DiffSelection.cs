namespace MonitorService.Web.Queries;

/// <summary>Which two versions a diff compares: the ones asked for, or by default the latest and the one before it.</summary>
public static class DiffSelection
{
    /// <param name="versions">Newest first.</param>
    /// <returns>(older, newer), or null when the ids are not versions of this domain or there are fewer than two.</returns>
    public static (VersionView Older, VersionView Newer)? Pick(IReadOnlyList<VersionView> versions, long? from, long? to)
    {
        if (from is null && to is null)
            return versions.Count >= 2 ? (versions[1], versions[0]) : null;
        var left = versions.FirstOrDefault(v => v.SnapshotId == from);
        var right = versions.FirstOrDefault(v => v.SnapshotId == to);
        return left is null || right is null ? null : (left, right);
    }
}
