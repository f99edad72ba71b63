using Microsoft.EntityFrameworkCore;
using MonitorService.Cli;
using MonitorService.Storage;
using MonitorService.Tests.Infrastructure;

namespace MonitorService.Tests.TlsRpt.Mailbox;

/// <summary>A migrated test database with the given domains registered (reports about others are NotOurs).</summary>
public static class MailboxDatabase
{
    public static async Task<string> CreateAsync(PostgresFixture postgres, string hint, params string[] domains)
    {
        var connectionString = await postgres.CreateDatabaseAsync(hint);
        var stderr = new StringWriter();
        Assert.True(0 == await CommandLineApp.RunAsync(["migrate"], TextReader.Null, TextWriter.Null, stderr,
            new Dictionary<string, string?> { ["ConnectionStrings:Monitor"] = connectionString }, CancellationToken.None), stderr.ToString());
        await TlsRptIntakeKit.RegisterAsync(connectionString, "ops", domains);
        return connectionString;
    }

    /// <summary>(organisation, report-id, source, source detail) of every stored report.</summary>
    public static async Task<List<(string Organization, string ReportId, string Source, string? Detail)>> ReportsAsync(string connectionString)
    {
        await using var db = MonitorDb.Create(connectionString);
        return (await db.TlsRptReports.OrderBy(r => r.Id).ToListAsync()).Select(r => (r.OrganizationName, r.ReportId, r.Source, r.SourceDetail)).ToList();
    }

    public static async Task<List<(string Source, string? Detail, string Reason)>> RejectedAsync(string connectionString)
    {
        await using var db = MonitorDb.Create(connectionString);
        return (await db.TlsRptRejected.OrderBy(r => r.Id).ToListAsync()).Select(r => (r.Source, r.SourceDetail, r.Reason)).ToList();
    }
}
