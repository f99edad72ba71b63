using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MonitorService.Hosting;
using MonitorService.Retention;
using MonitorService.TlsRpt;
using MonitorService.Tests.Infrastructure;
using static MonitorService.Tests.TlsRpt.TlsRptFixtures;

namespace MonitorService.Tests.TlsRpt;

/// <summary>Reports and refused reports are pruned after Retention:TlsRptDays, with their policies and failures.</summary>
[Collection(PostgresCollection.Name)]
public class TlsRptRetentionTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Reports_and_refused_reports_received_before_TlsRptDays_are_pruned_with_their_rows()
    {
        await using var kit = await TlsRptIntakeKit.StartAsync(postgres, "tlsrpt_retention", null, "example.test");
        foreach (var id in new[] { "old", "new" })
            Assert.Equal(TlsRptIntakeOutcome.Stored, (await kit.Intake.AcceptReportAsync(Utf8(Report("Sender", id, "example.test", failed: 3)), TlsRptIntakeKit.Https, default)).Outcome);
        foreach (var junk in new[] { "old junk", "new junk" })
            await kit.Intake.AcceptReportAsync(Utf8(junk), TlsRptIntakeKit.Https, default);
        await using (var db = kit.Db())
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE tlsrpt_reports SET received_at = now() - interval '101 days' WHERE report_id = 'old'");
            await db.Database.ExecuteSqlRawAsync("UPDATE tlsrpt_rejected SET received_at = now() - interval '101 days' WHERE reason LIKE 'Not JSON%' AND id = (SELECT min(id) FROM tlsrpt_rejected)");
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Retention:TlsRptDays"] = "100", ["Retention:BatchSize"] = "1" }).Build();
        await using var services = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddMonitorStorage(kit.ConnectionString).AddRetention(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var summary = await services.GetRequiredService<RetentionPruner>().PruneAsync(default);
        Assert.Equal((1L, 1L), (summary.TlsRptReports, summary.TlsRptRejected));

        await using var check = kit.Db();
        Assert.Equal(["new"], await check.TlsRptReports.Select(r => r.ReportId).ToListAsync());
        Assert.Equal(1, await check.TlsRptPolicies.CountAsync());
        Assert.Equal(1, await check.TlsRptFailures.CountAsync());
        Assert.Equal(1, await check.TlsRptRejected.CountAsync());
    }

    [Fact]
    public void TlsRptDays_below_the_charted_90_days_is_refused()
    {
        Assert.Contains(new RetentionOptions { TlsRptDays = 30 }.Validate(), e => e.Contains("Retention:TlsRptDays", StringComparison.Ordinal));
        Assert.Empty(new RetentionOptions().Validate());
    }
}
