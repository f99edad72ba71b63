using Microsoft.EntityFrameworkCore;
using MonitorService.Accounts;
using MonitorService.Monitoring;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Web.Queries;

/// <summary>
/// The domain list of the dashboard and the API, within a caller's <see cref="TeamScope"/>: a page of domains with
/// their open incidents, policy mode and history strip.
/// </summary>
public sealed class DomainListQueries(IDbContextFactory<MonitorDbContext> dbFactory)
{
    /// <summary>How many recent observations the history strip shows.</summary>
    public const int StripLength = 12;

    public async Task<Paged<DomainRow>> ListAsync(TeamScope scope, DomainListQuery query, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = scope.TeamIds.ToList();
        var domains = db.Domains.AsNoTracking().Where(d => scope.All || ids.Contains(d.TeamId));
        if (query.TeamId is { } teamId)
            domains = domains.Where(d => d.TeamId == teamId);
        if (query.Status is { Length: > 0 } status)
            domains = domains.Where(d => d.Status == status);
        if (query.Search?.Trim().ToLowerInvariant() is { Length: > 0 } search)
            domains = domains.Where(d => d.Name.Contains(search));
        domains = query.Sort switch
        {
            "status" => domains.OrderBy(d => d.Status == DomainStatus.Error ? 0 : d.Status == DomainStatus.Warning ? 1 : d.Status == DomainStatus.Pending ? 2 : 3).ThenBy(d => d.Name).ThenBy(d => d.Id),
            "checked" => domains.OrderByDescending(d => d.LastCheckedAt.HasValue).ThenByDescending(d => d.LastCheckedAt).ThenBy(d => d.Name).ThenBy(d => d.Id),
            _ => domains.OrderBy(d => d.Name).ThenBy(d => d.Team!.Name).ThenBy(d => d.Id),
        };
        var total = await domains.CountAsync(ct);
        var rows = await domains
            .Skip((query.Page - 1) * query.PageSize).Take(query.PageSize)
            .Select(d => new DomainRow(d.Id, d.Name, d.TeamId, d.Team!.Name, d.Status, d.Enabled, d.IntervalSeconds, d.LastCheckedAt,
                db.Incidents.Count(i => i.DomainId == d.Id && i.OpenedAt != null && i.ClosedAt == null))
            { Recipients = d.Recipients, CreatedAt = d.CreatedAt })
            .ToListAsync(ct);
        var strips = await StripsAsync(db, rows.Select(r => r.Id).ToArray(), ct);
        var result = rows.Select(r => strips.TryGetValue(r.Id, out var s) ? r with { Mode = s.Mode, History = s.Cells } : r).ToList();
        return new Paged<DomainRow>(result, query.Page, query.PageSize, total);
    }

    /// <summary>Per domain: the mode at its current observation and the statuses of its recent observations (one query).</summary>
    private static async Task<Dictionary<Guid, (string? Mode, List<StripCell> Cells)>> StripsAsync(MonitorDbContext db, Guid[] domainIds, CancellationToken ct)
    {
        var result = new Dictionary<Guid, (string? Mode, List<StripCell> Cells)>();
        if (domainIds.Length == 0)
            return result;
        // Per domain only its newest rows (an index range each, not a window over its whole history), and each
        // distinct report parsed once (domains in the same state share the snapshot): years of history stay cheap.
        var sql = $$"""
            WITH recent AS MATERIALIZED (
                SELECT d.id AS domain_id, o.id, o.first_seen_at, o.report_snapshot_id,
                       {{ObservationSpan.LastSeenSql("o", "d")}} AS last_seen_at
                FROM domains d
                CROSS JOIN LATERAL (SELECT id, first_seen_at, last_seen_at, report_snapshot_id FROM observations
                                    WHERE domain_id = d.id ORDER BY id DESC LIMIT @length) o
                WHERE d.id = ANY(@ids)),
            reports AS MATERIALIZED (
                SELECT s.id, s.content::jsonb AS report FROM snapshots s
                WHERE s.id IN (SELECT DISTINCT report_snapshot_id FROM recent))
            SELECT r.domain_id, r.first_seen_at, r.last_seen_at, p.report ->> 'status', p.report -> 'policy' ->> 'mode'
            FROM recent r JOIN reports p ON p.id = r.report_snapshot_id
            ORDER BY r.domain_id, r.id
            """;
        await using var command = await RawSql.CommandAsync(db, sql, ct);
        command.Parameters.Add(new Npgsql.NpgsqlParameter("ids", domainIds));
        command.Parameters.Add(new Npgsql.NpgsqlParameter("length", StripLength));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var id = reader.GetGuid(0);
            if (!result.TryGetValue(id, out var entry))
                entry = (null, []);
            entry.Cells.Add(new StripCell(reader.GetFieldValue<DateTimeOffset>(1), reader.GetFieldValue<DateTimeOffset>(2), reader.IsDBNull(3) ? "ok" : reader.GetString(3)));
            entry.Mode = reader.IsDBNull(4) ? null : reader.GetString(4); // ordered oldest first: the last row is the current
            result[id] = entry;
        }
        return result;
    }
}
