using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MonitorService.Checks.Model;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;
using MonitorService.TlsRpt.Alerts;
using static MonitorService.Tests.TlsRpt.TlsRptSeed;

namespace MonitorService.Tests.TlsRpt;

/// <summary>
/// TLS-RPT alerts through the outbox on the real database: one alert per registration and report day however often and
/// on however many nodes the evaluation runs, a resolution once a later day is clear, report text escaped in the mail.
/// </summary>
[Collection(PostgresCollection.Name)]
public class TlsRptAlertTests(PostgresFixture postgres)
{
    private static async Task<List<OutboxMessage>> OutboxAsync(MonitorHarness h)
    {
        await using var db = h.Db();
        return await db.Outbox.AsNoTracking().Where(m => m.Kind == OutboxKinds.Alert || m.Kind == OutboxKinds.Resolution).OrderBy(m => m.CreatedAt).ToListAsync();
    }

    [Fact]
    public async Task One_alert_per_day_across_runs_and_nodes_then_one_resolution()
    {
        await using var h = await MonitorHarness.StartAsync(postgres, "tlsrpt_alerts");
        var id = await h.AddDomainAsync();
        var today = DateOnly.FromDateTime(h.Clock.GetUtcNow().UtcDateTime);
        var day = today.AddDays(-2);
        await using (var db = h.Db())
        {
            var since = h.Clock.GetUtcNow().AddDays(-10);
            db.Incidents.Add(new Incident { DomainId = id, Code = FindingCodes.SmtpCertExpired, Subject = "mx1.example.test", Severity = "error", Message = "expired", FirstSeenAt = since, LastSeenAt = since, OpenedAt = since, SeenCount = 2 });
            await db.SaveChangesAsync();
        }
        const string hostile = "<script>x</script>\r\nBcc: victim@example.test";
        // 20 of 120 sessions failed: over the threshold; the expired certificate on mx1 explains them.
        await ReportAsync(h.ConnectionString, hostile, day, Policy(hostile, day, "example.test", 100, 20, Failure("certificate-expired", "mx1.example.test", 20)));

        var evaluator = h.Services.GetRequiredService<TlsRptAlertEvaluator>();
        Assert.Equal(1, (await evaluator.EvaluateAsync(CancellationToken.None)).AlertsQueued);
        Assert.Equal(0, (await evaluator.EvaluateAsync(CancellationToken.None)).AlertsQueued);
        await using (var second = h.AddNode())
        {
            var other = second.GetRequiredService<TlsRptAlertEvaluator>();
            var runs = await Task.WhenAll(evaluator.EvaluateAsync(CancellationToken.None), other.EvaluateAsync(CancellationToken.None));
            Assert.Equal(0, runs.Sum(r => r.AlertsQueued));
        }
        var queued = await OutboxAsync(h);
        var alert = Assert.Single(queued);
        Assert.Equal((OutboxKinds.Alert, id), (alert.Kind, alert.DomainId));
        Assert.Equal($"[MonitorService] example.test: senders reported 20 failed TLS session(s) on {day:yyyy-MM-dd}", alert.Subject);
        var mail = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(alert.Mime)));
        Assert.Equal(["ops@example.test"], mail.To.Mailboxes.Select(m => m.Address));
        Assert.Empty(mail.Bcc);
        Assert.Contains("&lt;script&gt;x&lt;/script&gt;", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(FindingCodes.SmtpCertExpired, mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("\nBcc:", mail.TextBody!.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        // A later day with 2 explained failures out of 500: clear. One resolution, however often evaluated.
        await ReportAsync(h.ConnectionString, "Google Inc.", today.AddDays(-1), Policy("Google Inc.", today.AddDays(-1), "example.test", 498, 2, Failure("certificate-expired", "mx1.example.test", 2)));
        var resolved = await evaluator.EvaluateAsync(CancellationToken.None);
        Assert.Equal((0, 1), (resolved.AlertsQueued, resolved.ResolutionsQueued));
        Assert.Equal(0, (await evaluator.EvaluateAsync(CancellationToken.None)).ResolutionsQueued);
        queued = await OutboxAsync(h);
        Assert.Equal([OutboxKinds.Alert, OutboxKinds.Resolution], queued.Select(m => m.Kind));
        Assert.Contains("resolved", queued[1].Subject, StringComparison.Ordinal);
        await using (var db = h.Db())
        {
            var row = await db.TlsRptAlerts.SingleAsync();
            Assert.Equal((day, today.AddDays(-1)), (row.ReportDay, row.ResolvedByDay));
        }
    }

    [Fact]
    public async Task Old_report_days_send_nothing_even_when_received_now()
    {
        await using var h = await MonitorHarness.StartAsync(postgres, "tlsrpt_alerts_old", new() { ["TlsRpt:Alerts:MaxReportAgeDays"] = "7" });
        await h.AddDomainAsync();
        var old = DateOnly.FromDateTime(h.Clock.GetUtcNow().UtcDateTime).AddDays(-30);
        // A backfill of last month: received now, but its day is beyond the alert age.
        await ReportAsync(h.ConnectionString, "Google Inc.", old, Policy("Google Inc.", old, "example.test", 0, 500, Failure("starttls-not-supported", "mx1.example.test", 500)));
        var run = await h.Services.GetRequiredService<TlsRptAlertEvaluator>().EvaluateAsync(CancellationToken.None);
        Assert.Equal((0, 0), (run.DaysEvaluated, run.AlertsQueued));
        Assert.Empty(await OutboxAsync(h));
    }
}
