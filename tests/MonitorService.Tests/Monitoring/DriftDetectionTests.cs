using Microsoft.EntityFrameworkCore;
using MonitorService.Checks.Model;
using MonitorService.Monitoring.Drift;
using MonitorService.Tests.Infrastructure;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Monitoring;

/// <summary>Drift from real checks: the loopback DNS and policy host change between checks, the clock moves by hand.</summary>
[Collection(PostgresCollection.Name)]
public class DriftDetectionTests(PostgresFixture postgres)
{
    private const string Mx3 = "mx3.example.test";

    private static void PublishTxtId(CheckEnvironment env, string id)
    {
        env.Zone.Remove($"_mta-sts.{Domain}", "TXT");
        env.Zone.AddTxt($"_mta-sts.{Domain}", $"v=STSv1; id={id}");
    }

    private static void AddMx3(CheckEnvironment env)
    {
        env.Zone.AddMx(Domain, 30, Mx3).AddA(Mx3, MxSpareIp.ToString());
        env.Smtp.SetCertificate(Mx3, env.Ca.IssueLeaf(Mx3));
    }

    [Fact]
    public async Task An_mx_added_outside_the_policy_is_a_change_and_an_uncovered_host()
    {
        await using var h = await MonitorHarness.StartAsync(postgres, "drift_mx");
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);

        h.Clock.Advance(TimeSpan.FromHours(1));
        AddMx3(h.Env);
        var result = await h.CheckAsync(id);

        var changed = Assert.Single(result.Events, e => e.Code == DriftCodes.MxChanged);
        Assert.Equal(Severity.Info, changed.Severity);
        Assert.Contains(Mx3, changed.Message, StringComparison.Ordinal);
        var uncovered = Assert.Single(result.Events, e => e.Code == DriftCodes.MxNotCovered);
        Assert.Equal((Severity.Error, Mx3), (uncovered.Severity, uncovered.Subject));
        Assert.Contains($"mx: {Mx3}", uncovered.Fix, StringComparison.Ordinal);
        await using var db = h.Db();
        var stored = await db.DriftEvents.Where(e => e.Code == DriftCodes.MxNotCovered).SingleAsync();
        Assert.NotNull(stored.FromObservationId);
        Assert.NotEqual(stored.FromObservationId, stored.ToObservationId);
    }

    [Fact]
    public async Task A_policy_edited_without_a_new_id_is_a_stale_id_with_the_cache_deadline()
    {
        await using var h = await MonitorHarness.StartAsync(postgres, "drift_stale");
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromHours(2));
        await h.CheckAsync(id);
        var lastSeenOld = h.Clock.GetUtcNow();

        h.Clock.Advance(TimeSpan.FromHours(1));
        AddMx3(h.Env);
        h.Env.Https.SetResponse(PolicyHost, PolicyResponse.Policy("enforce", 604800, Mx1, Mx2, Mx3));
        var result = await h.CheckAsync(id);

        var stale = Assert.Single(result.Events, e => e.Code == DriftCodes.StaleId);
        Assert.Equal(Severity.Error, stale.Severity);
        Assert.Equal(lastSeenOld + TimeSpan.FromSeconds(604800), stale.Until);
        Assert.Contains(DriftTime(lastSeenOld + TimeSpan.FromSeconds(604800)), stale.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Events, e => e.Code == DriftCodes.PolicyChanged);
        // The senders that cached the old body do not cover mx3 until then.
        var exposure = Assert.Single(result.Events, e => e.Code == DriftCodes.CachedPolicyExposure);
        Assert.Equal(lastSeenOld + TimeSpan.FromSeconds(604800), exposure.Until);
    }

    [Fact]
    public async Task A_policy_published_with_a_new_id_is_a_plain_change_but_old_caches_still_expose_a_new_mx()
    {
        await using var h = await MonitorHarness.StartAsync(postgres, "drift_policy");
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);
        var lastSeenOld = h.Clock.GetUtcNow();

        h.Clock.Advance(TimeSpan.FromDays(1));
        // The mail moves to a new provider: mx3 only.
        AddMx3(h.Env);
        h.Env.Zone.Remove(Domain, "MX");
        h.Env.Zone.AddMx(Domain, 10, Mx3);
        h.Env.Https.SetResponse(PolicyHost, PolicyResponse.Policy("enforce", 604800, Mx3));
        PublishTxtId(h.Env, "20260102");
        var result = await h.CheckAsync(id);

        Assert.Single(result.Events, e => e.Code == DriftCodes.PolicyChanged);
        Assert.Single(result.Events, e => e.Code == DriftCodes.MxChanged);
        Assert.DoesNotContain(result.Events, e => e.Code is DriftCodes.StaleId or DriftCodes.MxNotCovered);
        var exposure = Assert.Single(result.Events, e => e.Code == DriftCodes.CachedPolicyExposure);
        Assert.Equal(Severity.Warning, exposure.Severity);
        Assert.Equal(lastSeenOld + TimeSpan.FromDays(7), exposure.Until);
        Assert.Contains(Mx3, exposure.Message, StringComparison.Ordinal);
        Assert.Contains(DriftTime(lastSeenOld + TimeSpan.FromDays(7)), exposure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_id_for_the_same_policy_is_an_id_change()
    {
        await using var h = await MonitorHarness.StartAsync(postgres, "drift_id");
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);

        h.Clock.Advance(TimeSpan.FromHours(1));
        PublishTxtId(h.Env, "20260105");
        var result = await h.CheckAsync(id);

        var e = Assert.Single(result.Events);
        Assert.Equal((DriftCodes.TxtIdChanged, Severity.Info), (e.Code, e.Severity));
    }

    [Fact]
    public async Task Going_from_enforce_to_testing_is_a_downgrade()
    {
        await using var h = await MonitorHarness.StartAsync(postgres, "drift_mode");
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);

        h.Clock.Advance(TimeSpan.FromHours(1));
        h.Env.Https.SetResponse(PolicyHost, PolicyResponse.Policy("testing", 604800, Mx1, Mx2));
        PublishTxtId(h.Env, "20260106");
        var result = await h.CheckAsync(id);

        Assert.Equal(Severity.Warning, Assert.Single(result.Events, e => e.Code == DriftCodes.ModeDowngrade).Severity);
    }

    [Fact]
    public async Task An_unreachable_policy_is_reported_once_after_three_failed_checks_and_not_before()
    {
        await using var h = await MonitorHarness.StartAsync(postgres, "drift_unreachable");
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);
        var lastSeen = h.Clock.GetUtcNow();
        h.Env.Https.SetResponse(PolicyHost, PolicyResponse.Status(503, "maintenance"));

        var events = new List<IReadOnlyList<DriftEvent>>();
        for (var i = 0; i < 4; i++)
        {
            h.Clock.Advance(TimeSpan.FromMinutes(10));
            events.Add((await h.CheckAsync(id)).Events);
        }

        Assert.DoesNotContain(events[0], e => e.Code == DriftCodes.PolicyUnreachable);
        Assert.DoesNotContain(events[1], e => e.Code == DriftCodes.PolicyUnreachable);
        var unreachable = Assert.Single(events[2], e => e.Code == DriftCodes.PolicyUnreachable);
        Assert.Equal(Severity.Error, unreachable.Severity);
        Assert.Equal(lastSeen + TimeSpan.FromSeconds(604800), unreachable.Until);
        Assert.DoesNotContain(events[3], e => e.Code == DriftCodes.PolicyUnreachable);
    }

    private static string DriftTime(DateTimeOffset time) => time.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
