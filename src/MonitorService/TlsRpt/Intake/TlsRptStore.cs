using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;
using MonitorService.Storage.Entities;
using MonitorService.TlsRpt.Parsing;

namespace MonitorService.TlsRpt.Intake;

/// <summary>Writes reports (once per organisation and report-id, across nodes and intakes) and refused reports (once per content).</summary>
public sealed class TlsRptStore(IDbContextFactory<MonitorDbContext> dbFactory)
{
    /// <summary>The registrations (name and team, of any team) among <paramref name="candidates"/>.</summary>
    public async Task<IReadOnlyList<(string Name, Guid TeamId)>> RegistrationsAsync(IReadOnlyCollection<string> candidates, CancellationToken ct)
    {
        if (candidates.Count == 0)
            return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = candidates.ToList();
        var found = await db.Domains.AsNoTracking().Where(d => names.Contains(d.Name)).Select(d => new { d.Name, d.TeamId }).ToListAsync(ct);
        return found.Select(f => (f.Name, f.TeamId)).ToList();
    }

    /// <summary>The teams owning <paramref name="keys"/> (a key no team has is left out).</summary>
    public async Task<IReadOnlyList<Guid>> TeamsOfKeysAsync(IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        if (keys.Count == 0)
            return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var wanted = keys.ToList();
        return await db.Teams.AsNoTracking().Where(t => wanted.Contains(t.TlsRptKey)).Select(t => t.Id).ToListAsync(ct);
    }

    /// <summary>
    /// The new report's id (null when the same report — organisation, report-id and content — is stored already), and
    /// how many other reports with its organisation and report-id but other content were stored before. The report
    /// row goes in with ON CONFLICT DO NOTHING: of two nodes storing the same report at once, the second waits for the
    /// first's transaction on the unique index and then inserts nothing — no check-then-insert window. A duplicate that
    /// came another way (another team's address, or the shared one) adds that way to the stored report: each team whose
    /// address the domain publishes sees it, though it is stored once.
    /// </summary>
    public async Task<(long? Id, int OtherContents)> StoreAsync(ParsedTlsRptReport report, IReadOnlyList<TlsRptPolicy> policies, ReadOnlyMemory<byte> json,
        TlsRptOrigin origin, TlsRptRoute route, DateTimeOffset receivedAt, CancellationToken ct)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(json.Span));
        var raw = BoundedGzip.Compress(json.Span);
        var detail = TlsRptText.Clean(origin.Detail, 512, out _);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var ids = await db.Database.SqlQuery<long>($"""
            INSERT INTO tlsrpt_reports (organization_name, report_id, content_sha256, contact_info, start_at, end_at, report_day, received_at, source, source_detail, raw_gzip)
            VALUES ({report.OrganizationName}, {report.ReportId}, {sha256}, {report.ContactInfo}, {report.StartAt}, {report.EndAt}, {report.ReportDay},
                    {receivedAt}, {origin.Source}, {detail}, {raw})
            ON CONFLICT (organization_name, report_id, content_sha256) DO NOTHING
            RETURNING id AS "Value"
            """).ToListAsync(ct);
        if (ids.Count == 0)
        {
            await AddRouteAsync(db, report, sha256, route, ct);
            await transaction.CommitAsync(ct);
            return (null, 0);
        }
        var others = await db.TlsRptReports.CountAsync(r => r.OrganizationName == report.OrganizationName && r.ReportId == report.ReportId && r.Id != ids[0], ct);
        foreach (var policy in policies)
        {
            policy.ReportId = ids[0];
            policy.DeliveredToTeams = [.. route.Teams];
            policy.ViaSharedAddress = route.Shared;
        }
        db.TlsRptPolicies.AddRange(policies);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (ids[0], others);
    }

    private static async Task AddRouteAsync(MonitorDbContext db, ParsedTlsRptReport report, string sha256, TlsRptRoute route, CancellationToken ct)
    {
        var teams = route.Teams.ToArray();
        var shared = route.Shared;
        await db.Database.ExecuteSqlAsync($"""
            UPDATE tlsrpt_policies p
            SET delivered_to_teams = ARRAY(SELECT DISTINCT unnest(p.delivered_to_teams || {teams})),
                via_shared_address = p.via_shared_address OR {shared}
            FROM tlsrpt_reports r
            WHERE r.id = p.report_id AND r.organization_name = {report.OrganizationName} AND r.report_id = {report.ReportId} AND r.content_sha256 = {sha256}
              AND (NOT p.delivered_to_teams @> {teams} OR (NOT p.via_shared_address AND {shared}))
            """, ct);
    }

    /// <summary>Keeps what could not be parsed (the first <paramref name="maxBytes"/> bytes, gzip-compressed); the same bytes twice are kept once.</summary>
    public async Task StoreRejectedAsync(ReadOnlyMemory<byte> received, string reason, TlsRptOrigin origin, DateTimeOffset receivedAt, int maxBytes, CancellationToken ct)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(received.Span));
        var truncated = received.Length > maxBytes;
        var raw = BoundedGzip.Compress(received.Span[..Math.Min(received.Length, maxBytes)]);
        var source = origin.Source;
        var detail = TlsRptText.Clean(origin.Detail, 512, out _);
        var why = TlsRptText.Clean(reason, 1024, out _) ?? "unknown";
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO tlsrpt_rejected (received_at, source, source_detail, reason, sha256, raw_gzip, truncated)
            VALUES ({receivedAt}, {source}, {detail}, {why}, {sha256}, {raw}, {truncated})
            ON CONFLICT (sha256) DO NOTHING
            """, ct);
    }
}
