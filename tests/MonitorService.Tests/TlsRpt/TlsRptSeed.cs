using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Tests.TlsRpt;

/// <summary>
/// Writes TLS-RPT reports straight into the tables the intake fills (real rows in the real PostgreSQL), so that the
/// views can be tested apart from the parser. One report per call, with the policies given.
/// </summary>
public static class TlsRptSeed
{
    private static int _next;

    public static TlsRptPolicy Policy(string organization, DateOnly day, string domain, long successful, long failed, params TlsRptFailure[] failures) => new()
    {
        OrganizationName = organization,
        ReportDay = day,
        PolicyType = "sts",
        PolicyDomain = domain,
        DomainName = domain,
        PolicyStrings = ["version: STSv1", "mode: enforce", "mx: mx1." + domain, "mx: mx2." + domain, "max_age: 604800"],
        MxHosts = ["mx1." + domain],
        SuccessfulSessions = successful,
        FailedSessions = failed,
        FailureDetailSessions = failures.Sum(f => f.FailedSessions),
        Failures = [.. failures],
        // As if received at the shared address: shown while one team has registered the domain (TlsRptVisibility).
        ViaSharedAddress = true,
    };

    public static TlsRptFailure Failure(string resultType, string? mx, long sessions, string? reason = null, string? ip = "192.0.2.25", string? sendingIp = "198.51.100.7") => new()
    {
        ResultType = resultType,
        ReceivingMxHostname = mx,
        ReceivingIp = ip,
        SendingMtaIp = sendingIp,
        FailedSessions = sessions,
        FailureReasonCode = reason,
    };

    public static Task<long> ReportAsync(string connectionString, string organization, DateOnly day, params TlsRptPolicy[] policies) =>
        ReportAsync(connectionString, organization, day, DateTimeOffset.UtcNow, policies);

    public static async Task<long> ReportAsync(string connectionString, string organization, DateOnly day, DateTimeOffset receivedAt, params TlsRptPolicy[] policies)
    {
        await using var db = MonitorDb.Create(connectionString);
        var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var report = new TlsRptReport
        {
            OrganizationName = organization,
            ReportId = $"seed-{Interlocked.Increment(ref _next)}-{Guid.NewGuid():N}",
            StartAt = start,
            EndAt = start.AddDays(1).AddSeconds(-1),
            ReportDay = day,
            ReceivedAt = receivedAt,
            Source = TlsRptSources.Import,
            RawGzip = [0x1f, 0x8b],
            Policies = [.. policies.Select((p, i) => { p.N = i; return p; })],
        };
        db.TlsRptReports.Add(report);
        await db.SaveChangesAsync();
        return report.Id;
    }
}
