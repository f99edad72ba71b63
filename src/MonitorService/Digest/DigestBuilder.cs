using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorService.Alerts;
using MonitorService.Checks.Model;
using MonitorService.Monitoring;
using MonitorService.Monitoring.Drift;
using MonitorService.Storage;
using MonitorService.Storage.Entities;
using MonitorService.Storage.Snapshots;
using MonitorService.TlsRpt.Views;

namespace MonitorService.Digest;

/// <summary>Reads a team's week from the store: per domain its status, a day-by-day strip, changes, open incidents and risks.</summary>
public sealed class DigestBuilder(IDbContextFactory<MonitorDbContext> dbFactory, IOptions<AlertOptions> options, TlsRptQueries tlsRpt)
{
    public static readonly TimeSpan CertificateWarning = TimeSpan.FromDays(30);
    public static readonly TimeSpan TestingTooLong = TimeSpan.FromDays(28);

    private static readonly HashSet<string> ChangeCodes =
        [DriftCodes.MxChanged, DriftCodes.PolicyChanged, DriftCodes.TxtIdChanged, DriftCodes.StaleId, DriftCodes.ModeDowngrade, DriftCodes.TxtRemoved,
         DriftCodes.IdNotYetPublished];

    public async Task<DigestContent> BuildAsync(Team team, DateTimeOffset now, CancellationToken ct)
    {
        var settings = TeamMailSettings.For(team, options.Value);
        var from = now - TimeSpan.FromDays(7);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var domains = await db.Domains.AsNoTracking().Where(d => d.TeamId == team.Id).OrderBy(d => d.Name).ToListAsync(ct);
        var result = new List<DomainDigest>();
        foreach (var domain in domains)
            result.Add(await DomainAsync(db, domain, settings.TimeZone, from, now, ct));
        return new DigestContent(team.Name, from, now, result, settings.TimeZone);
    }

    private async Task<DomainDigest> DomainAsync(MonitorDbContext db, MonitoredDomain domain, TimeZoneInfo zone, DateTimeOffset from, DateTimeOffset now, CancellationToken ct)
    {
        var incidents = await db.Incidents.AsNoTracking()
            .Where(i => i.DomainId == domain.Id && i.OpenedAt != null && (i.ClosedAt == null || i.ClosedAt >= from))
            .ToListAsync(ct);
        var openEnd = OpenObservationEnd.Of(domain);
        var observations = (await db.Observations.AsNoTracking()
            .Where(o => o.DomainId == domain.Id && (o.LastSeenAt == null || o.LastSeenAt >= from))
            .ToListAsync(ct))
            .Select(o => new { o.FirstSeenAt, LastSeenAt = o.LastSeen(openEnd) })
            .ToList();
        var changes = await db.DriftEvents.AsNoTracking()
            .Where(e => e.DomainId == domain.Id && e.DetectedAt >= from && ChangeCodes.Contains(e.Code))
            .OrderBy(e => e.DetectedAt).ThenBy(e => e.Id)
            .Select(e => new DigestChange(e.DetectedAt, e.Code, e.Severity, e.Message))
            .ToListAsync(ct);

        var days = new List<DayHealth>();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        for (var day = today.AddDays(-6); day <= today; day = day.AddDays(1))
        {
            var (start, end) = (Start(day, zone), Start(day.AddDays(1), zone));
            var checkedThatDay = observations.Any(o => o.FirstSeenAt < end && o.LastSeenAt >= start);
            var open = incidents.Where(i => i.OpenedAt < end && (i.ClosedAt == null || i.ClosedAt >= start));
            days.Add(new DayHealth(day, checkedThatDay ? IncidentRules.StatusOf(open) : "none"));
        }

        var report = await LatestReportAsync(db, domain, ct);
        var mode = report?.Mode;
        DateTimeOffset? testingSince = null;
        if (mode == "testing" && await TestingSinceAsync(db, domain.Id, ct) is { } since && now - since > TestingTooLong)
            testingSince = since;
        return new DomainDigest(
            domain.Name,
            domain.Enabled ? domain.Status : "disabled",
            mode,
            domain.LastCheckedAt,
            days,
            changes,
            incidents.Where(i => i.ClosedAt == null)
                .OrderByDescending(i => AlertHeadline.Rank(i.Severity)).ThenBy(i => i.OpenedAt)
                .Select(i => new DigestIncident(i.Code, i.Severity, i.Subject.Length == 0 ? null : i.Subject, i.Message, i.OpenedAt!.Value, now - i.OpenedAt.Value))
                .ToList(),
            report?.Certificates.Where(c => c.NotAfter - now <= CertificateWarning).OrderBy(c => c.NotAfter).ToList() ?? [],
            testingSince,
            AlertComposer.DashboardLink(options.Value.DashboardBaseUrl, domain.Id),
            await SendersAsync(domain, now, ct));
    }

    /// <summary>The seven full report days before today (UTC): report days are UTC whatever the team's zone.</summary>
    private async Task<SendersDigest?> SendersAsync(MonitoredDomain domain, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var summary = await tlsRpt.SummaryAsync(domain, new TlsRptRange(today.AddDays(-7), today.AddDays(-1)), ct);
        if (summary.Reports == 0)
            return null;
        var resultTypes = summary.Failures.GroupBy(f => f.ResultType)
            .Select(g => new SenderCount(g.Key, g.Sum(f => f.Sessions), g.Sum(f => f.Sessions)))
            .OrderByDescending(r => r.Failed).ThenBy(r => r.Name, StringComparer.Ordinal).Take(TopSenders).ToList();
        var organizations = summary.Organizations.Select(o => new SenderCount(o.Name, o.Failed, o.Successful + o.Failed))
            .OrderByDescending(o => o.Failed).ThenByDescending(o => o.Sessions).Take(TopSenders).ToList();
        return new SendersDigest(summary.From, summary.To, summary.Reports, summary.Days.Sum(d => d.Successful), summary.Days.Sum(d => d.Failed), resultTypes, organizations);
    }

    /// <summary>Result types and organisations listed per domain.</summary>
    public const int TopSenders = 3;

    /// <summary>
    /// When the domain's policy went to testing mode and stayed there: the first check of the oldest observation from
    /// which on every fetched policy was in testing (a failed fetch does not interrupt it). Walks the timeline, not the
    /// per-(body, id) history: a policy that returns to an earlier testing version counts from its return.
    /// </summary>
    private static async Task<DateTimeOffset?> TestingSinceAsync(MonitorDbContext db, Guid domainId, CancellationToken ct)
    {
        var timeline = await db.Observations.AsNoTracking()
            .Where(o => o.DomainId == domainId && o.PolicyValid && o.PolicySnapshotId != null)
            .OrderByDescending(o => o.FirstSeenAt).ThenByDescending(o => o.Id)
            .Select(o => new { o.FirstSeenAt, SnapshotId = o.PolicySnapshotId!.Value })
            .ToListAsync(ct);
        var snapshotIds = timeline.Select(o => o.SnapshotId).Distinct().ToList();
        var modes = (await db.Snapshots.AsNoTracking().Where(s => snapshotIds.Contains(s.Id)).Select(s => new { s.Id, s.Content }).ToListAsync(ct))
            .ToDictionary(s => s.Id, s => CheckSnapshot.PolicyVersionOf(SnapshotContent.ReadPolicyBody(s.Content)).Mode);
        DateTimeOffset? since = null;
        foreach (var observation in timeline.TakeWhile(o => modes[o.SnapshotId] == StsMode.Testing))
            since = observation.FirstSeenAt;
        return since;
    }

    private static DateTimeOffset Start(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private sealed record ReportFacts(string? Mode, IReadOnlyList<ExpiringCertificate> Certificates);

    /// <summary>The facts the digest needs from the latest stored report (policy mode, certificate expiry dates).</summary>
    private static async Task<ReportFacts?> LatestReportAsync(MonitorDbContext db, MonitoredDomain domain, CancellationToken ct)
    {
        if (domain.CurrentObservationId is not { } observationId)
            return null;
        var content = await db.Observations.AsNoTracking().Where(o => o.Id == observationId)
            .Join(db.Snapshots, o => o.ReportSnapshotId, s => s.Id, (_, s) => s.Content)
            .FirstOrDefaultAsync(ct);
        if (content is null)
            return null;
        var report = SnapshotContent.ReadReport(content);
        return new ReportFacts(report.Policy?.Mode, PresentedCertificates.Of(report).Select(c => new ExpiringCertificate(c.Host, c.Certificate.NotAfter)).ToList());
    }
}
