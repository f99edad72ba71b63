using Microsoft.EntityFrameworkCore;
using MonitorService.Monitoring;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;

namespace MonitorService.Tests.Monitoring;

[Collection(PostgresCollection.Name)]
public class SnapshotStorageTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Unchanged_checks_write_no_snapshot_rows_and_extend_one_observation()
    {
        await using var h = await MonitorHarness.StartAsync(postgres, nameof(Unchanged_checks_write_no_snapshot_rows_and_extend_one_observation));
        var id = await h.AddDomainAsync();

        var first = await h.CheckAsync(id);
        await using var db = h.Db();
        var snapshotsAfterFirst = await db.Snapshots.CountAsync();
        for (var i = 0; i < 4; i++)
        {
            h.Clock.Advance(TimeSpan.FromHours(1));
            var again = await h.CheckAsync(id);
            Assert.False(again.StateChanged);
        }

        Assert.True(first.StateChanged);
        Assert.Equal(6, snapshotsAfterFirst); // mx, txt, policy, tls-rpt, certificates, report
        Assert.Equal(snapshotsAfterFirst, await db.Snapshots.CountAsync());
        var observation = Assert.Single(await db.Observations.ToListAsync());
        var domain = await db.Domains.SingleAsync();
        // Still open: its end and count are read from the domain row.
        Assert.Null(observation.LastSeenAt);
        Assert.Equal(5, observation.Checks(OpenObservationEnd.Of(domain)));
        Assert.Equal(observation.FirstSeenAt + TimeSpan.FromHours(4), observation.LastSeen(OpenObservationEnd.Of(domain)));
        Assert.Equal(DomainStatus.Ok, domain.Status);
        Assert.Equal(h.Clock.GetUtcNow(), domain.LastCheckedAt);
        Assert.Empty(await db.DriftEvents.ToListAsync());
    }

    [Fact]
    public async Task A_change_adds_only_the_snapshots_that_differ_and_starts_a_new_observation()
    {
        await using var h = await MonitorHarness.StartAsync(postgres, nameof(A_change_adds_only_the_snapshots_that_differ_and_starts_a_new_observation));
        var id = await h.AddDomainAsync();
        await h.CheckAsync(id);
        h.Clock.Advance(TimeSpan.FromHours(1));
        await h.CheckAsync(id);
        var lastUnchanged = h.Clock.GetUtcNow();
        await using var db = h.Db();
        var before = await db.Snapshots.AsNoTracking().ToListAsync();

        h.Clock.Advance(TimeSpan.FromHours(1));
        h.Env.Zone.Remove($"_smtp._tls.{CheckEnvironment.Domain}", "TXT");
        h.Env.Zone.AddTxt($"_smtp._tls.{CheckEnvironment.Domain}", "v=TLSRPTv1; rua=mailto:reports@example.test");
        var result = await h.CheckAsync(id);

        Assert.True(result.StateChanged);
        var added = (await db.Snapshots.AsNoTracking().ToListAsync()).Where(s => before.All(b => b.Id != s.Id)).Select(s => s.Kind).OrderBy(k => k).ToList();
        Assert.Equal([SnapshotKinds.Report, SnapshotKinds.TlsRpt], added);
        var observations = await db.Observations.OrderBy(o => o.Id).ToListAsync();
        Assert.Equal(2, observations.Count);
        Assert.Equal(observations[0].MxSnapshotId, observations[1].MxSnapshotId);
        // The old one is closed at its last check, with its count; the new one is open.
        Assert.Equal((lastUnchanged, 2), (observations[0].LastSeenAt, observations[0].CheckCount));
        Assert.Equal((null, null), (observations[1].LastSeenAt, observations[1].CheckCount));
        var domain = await db.Domains.SingleAsync();
        Assert.Equal((observations[1].Id, 1, h.Clock.GetUtcNow()), (domain.CurrentObservationId, domain.CurrentObservationChecks, domain.LastCheckedAt));
    }

    [Fact]
    public async Task Two_domains_publishing_the_same_content_share_snapshot_rows()
    {
        await using var h = await MonitorHarness.StartAsync(postgres, nameof(Two_domains_publishing_the_same_content_share_snapshot_rows));
        var first = await h.AddDomainAsync();
        await h.CheckAsync(first);
        await using var db = h.Db();
        var count = await db.Snapshots.CountAsync();

        // The same domain registered by a second team: identical content, no new rows.
        var second = (await h.Registry.AddAsync(CheckEnvironment.Domain, "other-team", null, null, CancellationToken.None)).Id;
        await h.CheckAsync(second);

        Assert.Equal(count, await db.Snapshots.CountAsync());
        Assert.Equal(2, await db.Observations.CountAsync());
    }
}
