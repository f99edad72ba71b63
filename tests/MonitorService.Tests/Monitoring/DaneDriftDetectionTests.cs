using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MonitorService.Checks.Dns;
using MonitorService.Checks.Model;
using MonitorService.Monitoring;
using MonitorService.Monitoring.Drift;
using MonitorService.Testing.Dane;
using MonitorService.Tests.Infrastructure;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Monitoring;

/// <summary>
/// DANE drift through the monitoring pipeline on a real PostgreSQL: TLSA records served by the loopback DNS server,
/// certificates presented by the loopback STARTTLS server, the clock moved by hand. DNSSEC validation is stood in for
/// by <see cref="DnssecMarkingResolver"/> (TEST ONLY), which marks the answers DANE depends on secure.
/// </summary>
[Collection(PostgresCollection.Name)]
public class DaneDriftDetectionTests(PostgresFixture postgres)
{
    private const string Tlsa1 = "_25._tcp.mx1.example.test";

    private static DomainCheckRunner DaneRunner(MonitorHarness h) =>
        ActivatorUtilities.CreateInstance<DomainCheckRunner>(h.Services,
            DaneChecks.CreateChecker(h.Env, DaneChecks.Marks(DnssecStatus.Secure, Domain, Mx1, Mx2), time: h.Clock));

    private static async Task<MonitoredCheckResult> CheckAsync(DomainCheckRunner runner, Guid id) =>
        await runner.CheckAsync(id, CheckTrigger.Manual, CancellationToken.None) ?? throw new InvalidOperationException("domain vanished");

    [Fact]
    public async Task A_certificate_renewed_with_a_new_key_under_unchanged_tlsa_records_is_an_error_event()
    {
        await using var h = await MonitorHarness.StartAsync(postgres, "drift_dane_cert");
        var leaf = h.Env.Ca.IssueLeaf(Mx1);
        h.Env.Smtp.SetCertificate(Mx1, leaf);
        h.Env.Zone.AddTlsa(Tlsa1, 3, 1, 1, TlsaData.For(leaf, 1, 1));
        var runner = DaneRunner(h);
        var id = await h.AddDomainAsync();
        var first = await CheckAsync(runner, id);
        Assert.Equal(DaneStatuses.Matched, first.Report.Mx.Single(m => m.Host == Mx1).Dane!.Status);

        h.Clock.Advance(TimeSpan.FromHours(1));
        h.Env.Smtp.SetCertificate(Mx1, h.Env.Ca.IssueLeaf(Mx1));
        var result = await CheckAsync(runner, id);

        var e = Assert.Single(result.Events, e => e.Code == DriftCodes.DaneCertMismatch);
        Assert.Equal((Severity.Error, Mx1), (e.Severity, e.Subject));
        Assert.Contains(DriftTime(h.Clock.GetUtcNow()), e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Events, e => e.Code == DriftCodes.TlsaChanged);
        Assert.Contains(result.Report.Findings, f => f.Code == FindingCodes.DaneTlsaMismatch && f.Subject == Mx1);
        await using var db = h.Db();
        Assert.Equal(Mx1, (await db.DriftEvents.SingleAsync(e => e.Code == DriftCodes.DaneCertMismatch)).Subject);
    }

    [Fact]
    public async Task Tlsa_records_replaced_by_ones_that_match_nothing_are_an_error_change_and_a_prepublished_one_is_info()
    {
        await using var h = await MonitorHarness.StartAsync(postgres, "drift_dane_tlsa");
        var leaf = h.Env.Ca.IssueLeaf(Mx1);
        h.Env.Smtp.SetCertificate(Mx1, leaf);
        h.Env.Zone.AddTlsa(Tlsa1, 3, 1, 1, TlsaData.For(leaf, 1, 1));
        var runner = DaneRunner(h);
        var id = await h.AddDomainAsync();
        await CheckAsync(runner, id);

        // The next key's record published beside the current one: a change, nothing broken.
        h.Clock.Advance(TimeSpan.FromHours(1));
        var next = h.Env.Ca.IssueLeaf(Mx1);
        h.Env.Zone.AddTlsa(Tlsa1, 3, 1, 1, TlsaData.For(next, 1, 1));
        var prepublished = await CheckAsync(runner, id);
        Assert.Equal(Severity.Info, Assert.Single(prepublished.Events, e => e.Code == DriftCodes.TlsaChanged).Severity);

        // The current key's record removed before the new certificate is deployed: DANE senders refuse mail.
        h.Clock.Advance(TimeSpan.FromHours(1));
        h.Env.Zone.Remove(Tlsa1, "TLSA");
        h.Env.Zone.AddTlsa(Tlsa1, 3, 1, 1, TlsaData.For(next, 1, 1));
        var broken = await CheckAsync(runner, id);
        var e = Assert.Single(broken.Events, e => e.Code == DriftCodes.TlsaChanged);
        Assert.Equal((Severity.Error, Mx1), (e.Severity, e.Subject));
    }

    private static string DriftTime(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
}
