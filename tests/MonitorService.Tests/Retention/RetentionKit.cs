using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MonitorService.Hosting;
using MonitorService.Retention;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Retention;

/// <summary>A monitor harness whose clock can move years ahead, and the retention pruner on the same database and clock.</summary>
internal static class RetentionKit
{
    public const string Mx3 = "mx3.example.test";

    /// <summary>
    /// A harness with Retention:Days = <paramref name="days"/> and a batch size of 2 (so every prune step runs several
    /// batches). Its certificates stay valid for three years: moving the clock changes only what the test changes.
    /// </summary>
    public static async Task<MonitorHarness> StartAsync(PostgresFixture postgres, string hint, int days = 400)
    {
        var h = await MonitorHarness.StartAsync(postgres, hint, new()
        {
            ["Retention:Days"] = days.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Retention:BatchSize"] = "2",
        });
        h.Env.Https.DefaultCertificate = LongLived(h.Env, PolicyHost);
        h.Env.Smtp.DefaultCertificate = LongLived(h.Env, Mx1, Mx2);
        h.Env.Smtp.SetCertificate(Mx1, LongLived(h.Env, Mx1));
        h.Env.Smtp.SetCertificate(Mx2, LongLived(h.Env, Mx2));
        return h;
    }

    public static System.Security.Cryptography.X509Certificates.X509Certificate2 LongLived(CheckEnvironment env, params string[] names) =>
        env.Ca.IssueLeaf(new LeafCertificateOptions { DnsNames = names, NotAfter = DateTimeOffset.UtcNow.AddYears(3) });

    /// <summary>The pruner as the service composes it, on the harness's database, settings and clock.</summary>
    public static ServiceProvider Pruner(MonitorHarness h) =>
        new ServiceCollection()
            .AddLogging()
            .AddSingleton<TimeProvider>(h.Clock)
            .AddMonitorStorage(h.ConnectionString)
            .AddRetention(h.Configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

    public static async Task<PruneSummary> PruneAsync(MonitorHarness h)
    {
        await using var services = Pruner(h);
        return await services.GetRequiredService<RetentionPruner>().PruneAsync(CancellationToken.None);
    }

    public static void AddMx3(MonitorHarness h)
    {
        h.Env.Zone.AddMx(Domain, 30, Mx3).AddA(Mx3, MxSpareIp.ToString());
        h.Env.Smtp.SetCertificate(Mx3, LongLived(h.Env, Mx3));
    }

    public static void RemoveMx3(MonitorHarness h)
    {
        h.Env.Zone.Remove(Domain, "MX");
        h.Env.Zone.AddMx(Domain, 10, Mx1).AddMx(Domain, 20, Mx2);
    }

    public static void Publish(MonitorHarness h, string id, string mode, long maxAge, params string[] mx)
    {
        h.Env.Https.SetResponse(PolicyHost, PolicyResponse.Policy(mode, maxAge, mx));
        h.Env.Zone.Remove($"_mta-sts.{Domain}", "TXT");
        h.Env.Zone.AddTxt($"_mta-sts.{Domain}", $"v=STSv1; id={id}");
    }

    /// <summary>Every snapshot id an observation refers to.</summary>
    public static IEnumerable<long> SnapshotIds(Observation o) =>
        new[] { o.MxSnapshotId, o.TxtSnapshotId, o.PolicySnapshotId, o.TlsRptSnapshotId, o.CertificatesSnapshotId, o.ReportSnapshotId }.OfType<long>();

    public static async Task<List<Observation>> ObservationsAsync(MonitorHarness h)
    {
        await using var db = h.Db();
        return await db.Observations.AsNoTracking().OrderBy(o => o.Id).ToListAsync();
    }
}
