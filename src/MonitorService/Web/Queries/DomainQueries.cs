using Microsoft.EntityFrameworkCore;
using MonitorService.Accounts;
using MonitorService.Checks.Model;
using MonitorService.Monitoring;
using MonitorService.Monitoring.Drift;
using MonitorService.Storage;
using MonitorService.Storage.Entities;
using MonitorService.Storage.Snapshots;

namespace MonitorService.Web.Queries;

/// <summary>
/// What the dashboard and the API read about one domain — the domain, its latest report and its history — always
/// within a caller's <see cref="TeamScope"/>: a domain of another team is "not found", never "forbidden" (its
/// existence is not disclosed). The domain list is <see cref="DomainListQueries"/>.
/// </summary>
public sealed class DomainQueries(IDbContextFactory<MonitorDbContext> dbFactory, TimeProvider time)
{
    /// <summary>The domain with its team, or null when it does not exist or is outside the scope.</summary>
    public async Task<MonitoredDomain?> GetAsync(TeamScope scope, Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var domain = await db.Domains.AsNoTracking().Include(d => d.Team).FirstOrDefaultAsync(d => d.Id == id, ct);
        return domain is not null && scope.Allows(domain.TeamId) ? domain : null;
    }

    /// <summary>The report of the domain's current observation (as stored: without per-check noise), or null before the first check.</summary>
    public async Task<CheckReport?> LatestReportAsync(MonitoredDomain domain, CancellationToken ct)
    {
        if (domain.CurrentObservationId is not { } current)
            return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var content = await db.Observations.AsNoTracking().Where(o => o.Id == current)
            .Join(db.Snapshots, o => o.ReportSnapshotId, s => s.Id, (o, s) => s.Content)
            .FirstOrDefaultAsync(ct);
        return content is null ? null : SnapshotContent.ReadReport(content);
    }

    public async Task<Paged<ObservationView>> ObservationsAsync(MonitoredDomain domain, int page, int pageSize, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var observations = db.Observations.AsNoTracking().Where(o => o.DomainId == domain.Id);
        var total = await observations.CountAsync(ct);
        var items = await observations.OrderByDescending(o => o.Id)
            .Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        var statuses = await ReportStatusesAsync(db, items.Select(o => o.ReportSnapshotId).Distinct().ToArray(), ct);
        var open = OpenObservationEnd.Of(domain);
        return new Paged<ObservationView>(items.Select(o => new ObservationView(
            o.Id, o.FirstSeenAt, o.LastSeen(open), o.Checks(open), statuses.GetValueOrDefault(o.ReportSnapshotId, "ok"), o.TxtId, o.PolicyValid, o.PolicyFetchFailed,
            o.MxSnapshotId, o.TxtSnapshotId, o.PolicySnapshotId, o.TlsRptSnapshotId, o.CertificatesSnapshotId, o.ReportSnapshotId)).ToList(), page, pageSize, total);
    }

    public async Task<Paged<EventView>> EventsAsync(Guid domainId, int page, int pageSize, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var events = db.DriftEvents.AsNoTracking().Where(e => e.DomainId == domainId);
        var total = await events.CountAsync(ct);
        var items = await events.OrderByDescending(e => e.DetectedAt).ThenByDescending(e => e.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(e => new EventView(e.Id, e.Code, e.Severity, e.Subject, e.Message, e.Fix, e.Until, e.DetectedAt, e.FromObservationId, e.ToObservationId))
            .ToListAsync(ct);
        return new Paged<EventView>(items, page, pageSize, total);
    }

    /// <summary>Confirmed incidents, open ones first; with <paramref name="openOnly"/> only those still open.</summary>
    public async Task<IReadOnlyList<IncidentView>> IncidentsAsync(MonitoredDomain domain, bool openOnly, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var incidents = await db.Incidents.AsNoTracking()
            .Where(i => i.DomainId == domain.Id && i.OpenedAt != null && (!openOnly || i.ClosedAt == null))
            .OrderBy(i => i.ClosedAt != null).ThenByDescending(i => i.OpenedAt)
            .Take(500)
            .ToListAsync(ct);
        return incidents.Select(i => new IncidentView(i.Id, i.Code, i.Severity, i.Subject == "" ? null : i.Subject, i.Message, i.Fix, i.FirstSeenAt,
            IncidentRules.LastSighting(i, domain.LastCheckedAt), i.OpenedAt, i.ClosedAt)).ToList();
    }

    /// <summary>Every distinct policy body the domain served (valid or not), newest first.</summary>
    public async Task<IReadOnlyList<VersionView>> PolicyVersionsAsync(MonitoredDomain domain, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versions = await VersionsAsync(db, domain, o => o.PolicySnapshotId, ct);
        return versions.Select(v => v with { Text = PolicyBodyOrNote(v.Text) }).ToList();
    }

    /// <summary>Every distinct MX set the domain published, newest first, one "preference host" per line.</summary>
    public async Task<IReadOnlyList<VersionView>> MxVersionsAsync(MonitoredDomain domain, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versions = await VersionsAsync(db, domain, o => o.MxSnapshotId, ct);
        return versions.Select(v => v with { Text = MxText(v.Text) }).ToList();
    }

    /// <summary>The stored JSON of a snapshot the domain's timeline refers to; null for any other snapshot.</summary>
    public async Task<Snapshot?> SnapshotAsync(Guid domainId, long snapshotId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var referenced = await db.Observations.AnyAsync(o => o.DomainId == domainId && (o.MxSnapshotId == snapshotId || o.TxtSnapshotId == snapshotId
            || o.PolicySnapshotId == snapshotId || o.TlsRptSnapshotId == snapshotId || o.CertificatesSnapshotId == snapshotId || o.ReportSnapshotId == snapshotId), ct);
        return referenced ? await db.Snapshots.AsNoTracking().FirstOrDefaultAsync(s => s.Id == snapshotId, ct) : null;
    }

    /// <summary>
    /// The sender-cache clock: every policy senders may still hold (RFC 8461 §3.2: cached up to max_age after the
    /// last fetch), with until when. The current policy is marked: its window moves on with every check.
    /// </summary>
    public async Task<IReadOnlyList<CacheWindowView>> CacheWindowsAsync(MonitoredDomain domain, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var history = await DomainHistoryReader.PolicyHistoryAsync(db, domain.Id, OpenObservationEnd.Of(domain), ct);
        var latest = history.Count > 0 ? history[^1] : null;
        return SenderCacheClock.OpenWindows(history, time.GetUtcNow())
            .Select(w => new CacheWindowView(w.Observation.FirstSeen, w.Observation.LastSeen, w.Observation.TxtId,
                w.Observation.Policy.Mode is { } m ? StsPolicy.ModeName(m) : null, w.Until, ReferenceEquals(w.Observation, latest)))
            .OrderByDescending(w => w.Until)
            .ToList();
    }

    // Observations are state changes, not checks: even years of history are a few hundred rows per domain.
    private static async Task<List<VersionView>> VersionsAsync(MonitorDbContext db, MonitoredDomain domain, Func<Observation, long?> part, CancellationToken ct)
    {
        var observations = await db.Observations.AsNoTracking().Where(o => o.DomainId == domain.Id).ToListAsync(ct);
        var open = OpenObservationEnd.Of(domain);
        var byId = observations.Select(o => new { SnapshotId = part(o), o.FirstSeenAt, LastSeenAt = o.LastSeen(open), o.TxtId })
            .Where(g => g.SnapshotId is not null).GroupBy(g => g.SnapshotId!.Value)
            .Select(g => new { Id = g.Key, First = g.Min(x => x.FirstSeenAt), Last = g.Max(x => x.LastSeenAt), TxtId = g.MaxBy(x => x.LastSeenAt)!.TxtId })
            .OrderByDescending(g => g.Last).Take(100).ToList();
        var ids = byId.Select(g => g.Id).ToList();
        var contents = await db.Snapshots.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Content, ct);
        return byId.Select(g => new VersionView(g.Id, g.First, g.Last, g.TxtId, contents[g.Id])).ToList();
    }

    private static string PolicyBodyOrNote(string policySnapshot) =>
        SnapshotContent.ReadPolicy(policySnapshot) is var policy && policy.Raw is not null ? policy.Raw : $"(no body: HTTP {policy.HttpStatus?.ToString() ?? "?"})";

    private static string MxText(string mxSnapshot) =>
        string.Join('\n', SnapshotContent.ReadMx(mxSnapshot).Select(m => $"{m.Preference} {m.Host}"));

    private static async Task<Dictionary<long, string>> ReportStatusesAsync(MonitorDbContext db, long[] snapshotIds, CancellationToken ct)
    {
        var result = new Dictionary<long, string>();
        if (snapshotIds.Length == 0)
            return result;
        await using var command = await RawSql.CommandAsync(db, "SELECT id, content::jsonb ->> 'status' FROM snapshots WHERE id = ANY(@ids)", ct);
        command.Parameters.Add(new Npgsql.NpgsqlParameter("ids", snapshotIds));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            result[reader.GetInt64(0)] = reader.IsDBNull(1) ? "ok" : reader.GetString(1);
        return result;
    }
}
