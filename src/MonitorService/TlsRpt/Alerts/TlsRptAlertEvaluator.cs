using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorService.Alerts;
using MonitorService.Channels;
using MonitorService.Mail;
using MonitorService.Storage;
using MonitorService.Storage.Entities;
using MonitorService.TlsRpt.Views;

namespace MonitorService.TlsRpt.Alerts;

/// <summary>What one evaluation did.</summary>
public sealed record TlsRptAlertRun(int DaysEvaluated, int AlertsQueued, int ResolutionsQueued);

/// <summary>
/// Looks at the report days of recently received reports, for every registration of their domain (each judged on the
/// reports it may see: <see cref="TlsRptVisibility"/>), and queues alert
/// and resolution mail and alert channel deliveries (Slack, Teams, webhook) through the outbox. Safe to run again and
/// on two nodes at once: an alert is a row unique per (registration, report day) inserted in the same transaction as
/// its mail and deliveries, and a resolution is the update that marks the alerts resolved (only one transaction can
/// win that update).
/// </summary>
public sealed class TlsRptAlertEvaluator(
    IDbContextFactory<MonitorDbContext> dbFactory,
    TlsRptQueries queries,
    OutboxWriter outbox,
    ChannelAlertQueue channelQueue,
    IOptions<TlsRptAlertOptions> options,
    IOptions<AlertOptions> alertOptions,
    TimeProvider time,
    ILogger<TlsRptAlertEvaluator> logger)
{
    /// <summary>(Domain name, report day) pairs looked at per run at most; the rest wait for the next run.</summary>
    public const int MaxCandidates = 5000;

    public async Task<TlsRptAlertRun> EvaluateAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (!o.Enabled)
            return new TlsRptAlertRun(0, 0, 0);
        var now = time.GetUtcNow();
        var oldestDay = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-o.MaxReportAgeDays);
        var since = now - o.LookBack;
        List<(string Domain, DateOnly Day)> candidates;
        List<MonitoredDomain> registrations;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var rows = await db.TlsRptPolicies.AsNoTracking()
                .Where(p => p.DomainName != null && p.ReportDay >= oldestDay && db.TlsRptReports.Any(r => r.Id == p.ReportId && r.ReceivedAt >= since))
                .Select(p => new { Domain = p.DomainName!, p.ReportDay })
                .Distinct()
                .OrderBy(p => p.ReportDay)
                .Take(MaxCandidates)
                .ToListAsync(ct);
            candidates = rows.Select(r => (r.Domain, r.ReportDay)).ToList();
            var names = candidates.Select(c => c.Domain).Distinct().ToList();
            registrations = await db.Domains.AsNoTracking().Include(d => d.Team).Where(d => names.Contains(d.Name)).ToListAsync(ct);
        }
        int alerts = 0, resolutions = 0, evaluated = 0;
        foreach (var domain in registrations)
        {
            foreach (var day in candidates.Where(c => c.Domain == domain.Name).Select(c => c.Day).Order())
            {
                evaluated++;
                var summary = await queries.SummaryAsync(domain, new TlsRptRange(day, day), ct);
                var facts = await FactsAsync(domain, day, summary, ct);
                var decision = TlsRptAlertRules.Decide(facts, o);
                if (decision.Alert)
                    alerts += await AlertAsync(domain, facts, decision, summary, ct) ? 1 : 0;
                else if (facts.Total > 0)
                    resolutions += await ResolveAsync(domain, facts, ct) ? 1 : 0;
            }
        }
        return new TlsRptAlertRun(evaluated, alerts, resolutions);
    }

    private async Task<DayFacts> FactsAsync(MonitoredDomain domain, DateOnly day, TlsRptSummary summary, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var known = await db.TlsRptPolicies.AsNoTracking()
            .Where(p => p.DomainName == domain.Name && p.ReportDay < day)
            .VisibleTo(db, domain)
            .SelectMany(p => p.Failures.Select(f => f.ResultType))
            .Distinct()
            .ToListAsync(ct);
        var types = summary.Failures.GroupBy(f => f.ResultType)
            .Select(g => new ResultTypeSessions(g.Key, g.Sum(f => f.Sessions), g.Where(f => f.ExplainedBy is null).Sum(f => f.Sessions)))
            .ToList();
        var totals = summary.Days.Single();
        return new DayFacts(day, totals.Successful, totals.Failed, types, known.ToHashSet(StringComparer.Ordinal));
    }

    private async Task<bool> AlertAsync(MonitoredDomain domain, DayFacts facts, AlertDecision decision, TlsRptSummary summary, CancellationToken ct)
    {
        var settings = TeamMailSettings.For(domain.Team!, alertOptions.Value);
        // Drift severities decide, as for the other changes only history reveals: the team's for its mail, each
        // channel's own (or else the team's) for that channel.
        bool Takes(TeamMailSettings s) => s.DriftSeverities.Contains(decision.Severity);
        var mailed = Takes(settings) && domain.Recipients.Count > 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var channels = await ChannelAlertQueue.EnabledChannelsAsync(db, domain.TeamId, ct);
        if (!mailed && !channels.Any(c => Takes(ChannelAlertQueue.SettingsFor(c, settings))))
        {
            // Nobody to tell: nothing is recorded, so that the day alerts once recipients or a channel are added.
            if (Takes(settings))
                logger.LogWarning("No TLS-RPT alert for {Domain} on {Day}: the domain has no recipients and no alert channel of its team takes {Severity}",
                    domain.Name, facts.Day, decision.Severity);
            return false;
        }
        var now = time.GetUtcNow();
        var reasons = string.Join('\n', decision.Reasons.Select(r => r.Text));
        if (reasons.Length > 4000)
            reasons = reasons[..4000];
        var inserted = await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO tlsrpt_alerts (domain_id, report_day, severity, reasons, failed_sessions, total_sessions, alerted_at)
            VALUES ({domain.Id}, {facts.Day}, {decision.Severity}, {reasons}, {facts.Failed}, {facts.Total}, {now})
            ON CONFLICT (domain_id, report_day) DO NOTHING
            """, ct);
        if (inserted == 0)
            return false;
        var content = new TlsRptAlertContent(domain.Name, facts.Day, decision, facts.Successful, facts.Failed, summary.Failures,
            AlertComposer.DashboardLink(alertOptions.Value.DashboardBaseUrl, domain.Id));
        // The mail and the channel deliveries commit with the alert row, or none of them does: each exactly once.
        if (mailed)
            outbox.Add(db, new OutgoingMail(OutboxKinds.Alert, domain.TeamId, domain.Id, domain.Recipients,
                TlsRptAlertMail.Subject(content), TlsRptAlertMail.Text(content), TlsRptAlertMail.Html(content)));
        var deliveries = channelQueue.Queue(db, domain.TeamId, domain.Id, channels, settings,
            s => Takes(s) ? TlsRptChannelContent.Alert(content, now) : null);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Queued TLS-RPT alert for {Domain} on {Day} (mail: {Mailed}, channel deliveries: {Deliveries}): {Failed} of {Total} sessions failed",
            domain.Name, facts.Day, mailed, deliveries, facts.Failed, facts.Total);
        return true;
    }

    private async Task<bool> ResolveAsync(MonitoredDomain domain, DayFacts facts, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = time.GetUtcNow();
        var ids = await db.Database.SqlQuery<long>($"""
            UPDATE tlsrpt_alerts SET resolved_at = {now}, resolved_by_day = {facts.Day}
            WHERE domain_id = {domain.Id} AND resolved_at IS NULL AND report_day < {facts.Day}
            RETURNING id AS "Value"
            """).ToListAsync(ct);
        if (ids.Count == 0)
            return false;
        var resolved = await db.TlsRptAlerts.AsNoTracking().Where(a => ids.Contains(a.Id)).OrderBy(a => a.ReportDay)
            .Select(a => new TlsRptResolvedAlert(a.ReportDay, a.Severity, a.AlertedAt))
            .ToListAsync(ct);
        var link = AlertComposer.DashboardLink(alertOptions.Value.DashboardBaseUrl, domain.Id);
        // Each audience hears of the resolution of the alerts its severity filter let through (an alert may have gone
        // to a channel only), as an incident's closing is told to those its opening was.
        TlsRptResolutionContent? ResolutionFor(TeamMailSettings s) =>
            resolved.Where(a => s.DriftSeverities.Contains(a.Severity)).ToList() is { Count: > 0 } alerts
                ? new TlsRptResolutionContent(domain.Name, facts.Day, alerts, facts.Successful, link)
                : null;
        var settings = TeamMailSettings.For(domain.Team!, alertOptions.Value);
        if (domain.Recipients.Count > 0 && ResolutionFor(settings) is { } mail)
            outbox.Add(db, new OutgoingMail(OutboxKinds.Resolution, domain.TeamId, domain.Id, domain.Recipients,
                TlsRptAlertMail.Subject(mail), TlsRptAlertMail.Text(mail), TlsRptAlertMail.Html(mail)));
        var channels = await ChannelAlertQueue.EnabledChannelsAsync(db, domain.TeamId, ct);
        channelQueue.Queue(db, domain.TeamId, domain.Id, channels, settings,
            s => ResolutionFor(s) is { } content ? TlsRptChannelContent.Resolution(content, now) : null);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("TLS-RPT alerts of {Domain} resolved by the clear report day {Day}", domain.Name, facts.Day);
        return true;
    }
}
