using Microsoft.EntityFrameworkCore;

namespace MonitorService.Storage.Snapshots;

/// <summary>
/// Stores snapshot parts content-addressed: a part whose (kind, hash) exists is not written again, whichever domain
/// saw it first. Concurrent writers of the same content meet in the unique index, not in duplicate rows.
/// </summary>
public static class SnapshotStore
{
    /// <summary>Returns the id of each part's snapshot row, inserting only those not stored yet.</summary>
    public static async Task<Dictionary<string, long>> StoreAsync(MonitorDbContext db, IEnumerable<SnapshotPart> parts, DateTimeOffset now, CancellationToken ct)
    {
        var distinct = parts.DistinctBy(p => (p.Kind, p.Hash)).ToList();
        var ids = await FindAsync(db, distinct, ct);
        foreach (var part in distinct.Where(p => !ids.ContainsKey(Key(p))))
        {
            var inserted = await db.Database
                .SqlQuery<long>($"INSERT INTO snapshots (kind, hash, content, created_at) VALUES ({part.Kind}, {part.Hash}, {part.Content}, {now}) ON CONFLICT (kind, hash) DO NOTHING RETURNING id AS \"Value\"")
                .ToListAsync(ct);
            ids[Key(part)] = inserted.Count > 0
                ? inserted[0]
                : (await FindAsync(db, [part], ct))[Key(part)]; // another writer stored it a moment ago
        }
        return ids;
    }

    public static string Key(SnapshotPart part) => $"{part.Kind}:{part.Hash}";

    /// <summary>
    /// Finds stored parts and locks them (FOR KEY SHARE, until the caller's transaction ends): the snapshot stays
    /// until the observation that is about to refer to it is committed. Retention deletes only snapshots nothing
    /// refers to, and skips locked ones; without the lock it could delete one between this look-up and the insert
    /// of the observation, which would then fail on its foreign key. It is the lock that insert's foreign-key check
    /// takes anyway, only taken earlier.
    /// </summary>
    private static async Task<Dictionary<string, long>> FindAsync(MonitorDbContext db, IReadOnlyList<SnapshotPart> parts, CancellationToken ct)
    {
        var hashes = parts.Select(p => p.Hash).ToArray();
        var rows = await db.Database
            .SqlQuery<StoredSnapshot>($"SELECT id, kind, hash FROM snapshots WHERE hash = ANY({hashes}) FOR KEY SHARE")
            .ToListAsync(ct);
        return rows.ToDictionary(r => $"{r.Kind}:{r.Hash}", r => r.Id);
    }

    private sealed class StoredSnapshot
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string Hash { get; init; } = "";
    }
}
