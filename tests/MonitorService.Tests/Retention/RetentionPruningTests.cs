using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MonitorService.Mail;
using MonitorService.Monitoring;
using MonitorService.Monitoring.Drift;
using MonitorService.Storage.Entities;
using MonitorService.Storage.Snapshots;
using MonitorService.Tests.Infrastructure;
using MonitorService.Testing.Dns;
using MonitorService.Tests.Monitoring;
using static MonitorService.Testing.CheckEnvironment;
using static MonitorService.Tests.Retention.RetentionKit;

namespace MonitorService.Tests.Retention;

/// <summary>Retention against recorded checks on a real database, with the clock moved past the retention.</summary>
[Collection(PostgresCollection.Name)]
public class RetentionPruningTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Old_history_and_delivered_mail_are_pruned_the_current_state_and_undelivered_mail_kept()
    {
        await using var h = await StartAsync(postgres, "retention_old");
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromHours(1));
        AddMx3(h); // drift and an incident, with an alert
        var firstChange = await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromHours(1));
        RemoveMx3(h); // drift back, the incident closes, with a resolution mail
        await h.CheckAsync(id);
        var delivered = await h.Services.GetRequiredService<OutboxDelivery>().DeliverAsync(includeNotYetDue: true, CancellationToken.None);
        Assert.Equal(2, delivered.Sent);
        var stuck = Mail(OutboxStatus.Queued, h.Clock.GetUtcNow());
        var sending = Mail(OutboxStatus.Sending, h.Clock.GetUtcNow());

        h.Clock.Advance(TimeSpan.FromDays(500));
        await h.CheckAsync(id); // unchanged: the current observation is now 500 days long
        var recentSent = Mail(OutboxStatus.Sent, h.Clock.GetUtcNow() - TimeSpan.FromDays(10));
        await using (var db = h.Db())
        {
            db.Outbox.AddRange(stuck, sending, recentSent);
            await db.SaveChangesAsync();
            Assert.Equal(3, await db.Observations.CountAsync());
            Assert.NotEmpty(await db.DriftEvents.ToListAsync());
            Assert.NotEmpty(await db.Incidents.Where(i => i.ClosedAt != null).ToListAsync());
            Assert.NotEmpty(await db.DeliveryAttempts.ToListAsync());
        }
        int snapshotsBefore;
        await using (var db = h.Db())
            snapshotsBefore = await db.Snapshots.CountAsync();

        var summary = await PruneAsync(h);

        await using (var db = h.Db())
        {
            var domain = await db.Domains.AsNoTracking().SingleAsync();
            var current = Assert.Single(await db.Observations.AsNoTracking().ToListAsync());
            Assert.Equal(domain.CurrentObservationId, current.Id);
            Assert.Null(current.LastSeenAt);
            // Exactly the current state's snapshots are left: nothing it refers to is gone, nothing else stays.
            Assert.Equal(SnapshotIds(current).Order(), (await db.Snapshots.Select(s => s.Id).ToListAsync()).Order());
            Assert.Empty(await db.DriftEvents.ToListAsync());
            Assert.Empty(await db.Incidents.ToListAsync());
            Assert.Equal(
                new[] { stuck.Id, sending.Id, recentSent.Id }.Order(),
                (await db.Outbox.Select(m => m.Id).ToListAsync()).Order());
            Assert.Empty(await db.DeliveryAttempts.ToListAsync());
            Assert.Equal((2, snapshotsBefore - 6, 2, 2), (summary.Observations, summary.Snapshots, summary.OutboxMessages, summary.DeliveryAttempts));
            Assert.True(summary.DriftEvents >= 2 && summary.Incidents >= 1, $"{summary}");
        }

        // Drift detection after pruning: an unchanged check finds nothing, the same change as before finds the same drift.
        h.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Empty((await h.CheckAsync(id)).Events);
        h.Clock.Advance(TimeSpan.FromHours(1));
        AddMx3(h);
        var again = await h.CheckAsync(id);
        Assert.Equal(Codes(firstChange), Codes(again));
        Assert.Contains(DriftCodes.MxNotCovered, Codes(again));
    }

    [Fact]
    public async Task A_policy_senders_may_still_hold_outlives_the_retention_and_still_exposes_a_new_mx()
    {
        await using var h = await StartAsync(postgres, "retention_cached", days: 30);
        // A year-long enforce policy without mx3, then two that cover it: the first with a one-day max_age.
        Publish(h, "p1", "enforce", 31557600, Mx1, Mx2);
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);
        var p1LastSeen = h.Clock.GetUtcNow();
        h.Clock.Advance(TimeSpan.FromHours(1));
        Publish(h, "p2", "enforce", 86400, Mx1, Mx2, Mx3);
        await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromHours(1));
        Publish(h, "p3", "enforce", 604800, Mx1, Mx2, Mx3);
        await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromDays(40));
        await h.CheckAsync(id);
        var observations = await ObservationsAsync(h);
        Assert.Equal(3, observations.Count);
        var windowsBefore = await OpenWindowsAsync(h, id);

        var summary = await PruneAsync(h);

        // p2's window closed 39 days ago: gone. p1 is older than the retention but senders may hold it for another 325 days.
        Assert.Equal(1, summary.Observations);
        Assert.Equal([observations[0].Id, observations[2].Id], (await ObservationsAsync(h)).Select(o => o.Id));
        Assert.Equal(windowsBefore, await OpenWindowsAsync(h, id));
        Assert.Contains(windowsBefore, w => w.TxtId == "p1" && w.Until == p1LastSeen + TimeSpan.FromSeconds(31557600));

        h.Clock.Advance(TimeSpan.FromHours(1));
        AddMx3(h);
        var result = await h.CheckAsync(id);
        var exposure = Assert.Single(result.Events, e => e.Code == DriftCodes.CachedPolicyExposure);
        Assert.Equal(("p1", p1LastSeen + TimeSpan.FromSeconds(31557600)), (exposure.Subject, exposure.Until));
        Assert.Contains(Mx3, exposure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_drift_event_whose_risk_is_still_running_is_kept_with_its_observations()
    {
        await using var h = await StartAsync(postgres, "retention_event", days: 30);
        Publish(h, "p1", "enforce", 31557600, Mx1, Mx2);
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromHours(1));
        // mx3 with a policy that covers it, while senders may hold p1 (without mx3) for a year.
        Publish(h, "p2", "enforce", 86400, Mx1, Mx2, Mx3);
        AddMx3(h);
        var change = await h.CheckAsync(id);
        var exposure = Assert.Single(change.Events, e => e.Code == DriftCodes.CachedPolicyExposure);
        h.Clock.Advance(TimeSpan.FromHours(1));
        Publish(h, "p3", "enforce", 604800, Mx1, Mx2, Mx3);
        await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromDays(40));
        await h.CheckAsync(id);
        var observations = await ObservationsAsync(h);

        var summary = await PruneAsync(h);

        // The exposure (announced with the MX change and again with the next policy change) runs until p1's window
        // closes: it stays, and so do the observations it compares (p2's is kept by nothing else). The other events
        // of those checks are history.
        await using var db = h.Db();
        var kept = await db.DriftEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync();
        Assert.Equal(2, kept.Count);
        Assert.All(kept, e => Assert.Equal((DriftCodes.CachedPolicyExposure, exposure.Until), (e.Code, e.Until)));
        Assert.Equal((observations[0].Id, observations[1].Id), (kept[0].FromObservationId, kept[0].ToObservationId));
        Assert.Equal(observations.Select(o => o.Id), (await ObservationsAsync(h)).Select(o => o.Id));
        Assert.Equal(0, summary.Observations);
        Assert.True(summary.DriftEvents >= 2, $"{summary}");
    }

    [Fact]
    public async Task The_last_known_mx_set_outlives_the_retention_while_lookups_fail()
    {
        await using var h = await StartAsync(postgres, "retention_last_mx");
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromHours(1));
        h.Env.Zone.SetBehavior(Domain, DnsBehavior.ServFail);
        Assert.True((await h.CheckAsync(id)).StateChanged);
        h.Clock.Advance(TimeSpan.FromDays(500));
        await h.CheckAsync(id);

        await PruneAsync(h);

        // The observation from 500 days ago is the last one that knew the MX set: the next comparison needs it.
        Assert.Equal(2, (await ObservationsAsync(h)).Count);
        h.Clock.Advance(TimeSpan.FromHours(1));
        h.Env.Zone.SetBehavior(Domain, DnsBehavior.Normal);
        h.Env.Zone.Remove(Domain, "MX");
        h.Env.Zone.AddMx(Domain, 10, Mx1);
        var result = await h.CheckAsync(id);
        var changed = Assert.Single(result.Events, e => e.Code == DriftCodes.MxChanged);
        Assert.Contains($"removed {Mx2}", changed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_snapshot_shared_with_a_newer_observation_of_another_domain_is_kept()
    {
        const string other = "other.example.test";
        await using var h = await StartAsync(postgres, "retention_shared");
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);
        var oldMx = (await ObservationsAsync(h))[0].MxSnapshotId;
        h.Clock.Advance(TimeSpan.FromHours(1));
        AddMx3(h);
        await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromDays(500));
        // Another domain with the first MX set, first checked now: it reuses the 500-day-old MX snapshot.
        h.Env.Zone.AddMx(other, 10, Mx1).AddMx(other, 20, Mx2);
        var otherId = await h.AddDomainAsync(other);
        await h.CheckAsync(otherId);
        await h.CheckAsync(id);
        Observation otherObservation;
        await using (var db = h.Db())
            otherObservation = await db.Observations.AsNoTracking().SingleAsync(o => o.DomainId == otherId);
        Assert.Equal(oldMx, otherObservation.MxSnapshotId);

        var summary = await PruneAsync(h);

        Assert.Equal(1, summary.Observations);
        await using (var db = h.Db())
        {
            Assert.False(await db.Observations.AnyAsync(o => o.DomainId == id && o.MxSnapshotId == oldMx));
            Assert.True(await db.Snapshots.AnyAsync(s => s.Id == oldMx));
            var referenced = (await db.Observations.AsNoTracking().ToListAsync()).SelectMany(SnapshotIds).ToHashSet();
            Assert.All(await db.Snapshots.Select(s => s.Id).ToListAsync(), s => Assert.Contains(s, referenced));
            Assert.All(referenced, r => Assert.True(db.Snapshots.Any(s => s.Id == r), $"snapshot {r} is referenced but gone"));
        }
        h.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Empty((await h.CheckAsync(otherId)).Events);
    }

    [Fact]
    public async Task A_snapshot_a_check_is_about_to_reuse_is_not_deleted_under_it()
    {
        await using var h = await StartAsync(postgres, "retention_reuse");
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromHours(1));
        h.Env.Zone.Remove($"_smtp._tls.{Domain}", "TXT");
        h.Env.Zone.AddTxt($"_smtp._tls.{Domain}", "v=TLSRPTv1; rua=mailto:reports@example.test");
        await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromDays(500));
        await h.CheckAsync(id);
        var observations = await ObservationsAsync(h);
        var (first, current) = (observations[0], observations[1]);
        Snapshot oldTlsRpt;
        await using (var db = h.Db())
            oldTlsRpt = await db.Snapshots.AsNoTracking().SingleAsync(s => s.Id == first.TlsRptSnapshotId);

        // A recorder that has just found the old TLS-RPT snapshot (the record went back) and not yet committed.
        await using var recorder = h.Db();
        await using var transaction = await recorder.Database.BeginTransactionAsync();
        var found = await SnapshotStore.StoreAsync(recorder, [new SnapshotPart(oldTlsRpt.Kind, oldTlsRpt.Content)],
            h.Clock.GetUtcNow(), CancellationToken.None);
        Assert.Equal(oldTlsRpt.Id, found.Values.Single());

        var summary = await PruneAsync(h).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, summary.Observations);
        recorder.Observations.Add(new Observation
        {
            DomainId = id, FirstSeenAt = h.Clock.GetUtcNow(), StateHash = "reused", TlsRptSnapshotId = oldTlsRpt.Id,
            ReportSnapshotId = current.ReportSnapshotId,
        });
        await recorder.SaveChangesAsync();
        await transaction.CommitAsync();
        await using var check = h.Db();
        Assert.True(await check.Snapshots.AnyAsync(s => s.Id == oldTlsRpt.Id));
    }

    private static OutboxMessage Mail(string status, DateTimeOffset at) => new()
    {
        Id = Guid.NewGuid(), Kind = OutboxKinds.Alert, MessageId = $"{Guid.NewGuid():N}@test", Subject = $"{status} mail",
        Recipients = ["ops@example.test"], Mime = "Subject: x\r\n\r\nx\r\n", Status = status, CreatedAt = at, NextAttemptAt = at,
        SentAt = status == OutboxStatus.Sent ? at : null,
        ClaimToken = status == OutboxStatus.Sending ? Guid.NewGuid() : null, ClaimedUntil = status == OutboxStatus.Sending ? at.AddDays(1000) : null,
    };

    private static List<string> Codes(MonitoredCheckResult result) => result.Events.Select(e => e.Code).Order(StringComparer.Ordinal).ToList();

    /// <summary>What senders may hold: the policy body, the id it was served under, its last sighting and the window's end.</summary>
    private static async Task<List<(string? TxtId, string Body, DateTimeOffset LastSeen, DateTimeOffset Until)>> OpenWindowsAsync(MonitorHarness h, Guid domainId)
    {
        await using var db = h.Db();
        var domain = await db.Domains.AsNoTracking().SingleAsync(d => d.Id == domainId);
        var history = await DomainHistoryReader.PolicyHistoryAsync(db, domainId, OpenObservationEnd.Of(domain), CancellationToken.None);
        return SenderCacheClock.OpenWindows(history, h.Clock.GetUtcNow())
            .Select(w => (w.Observation.TxtId, w.Observation.Policy.Body, w.Observation.LastSeen, w.Until)).ToList();
    }
}
