using MonitorService.Scheduling;
using MonitorService.Tests.Infrastructure;
using Xunit.Abstractions;

namespace MonitorService.Tests.Scheduling;

[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class ClusteredSchedulingTests(PostgresFixture postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Two_nodes_never_run_a_domain_concurrently_and_run_each_firing_once()
    {
        var cs = await postgres.CreateDatabaseAsync("sched_cluster");
        await QuartzSchema.EnsureCreatedAsync(cs);
        var log = new CheckLog { Duration = TimeSpan.FromMilliseconds(1200) };
        var fires = new FireRecorder();
        var source = new FakeDomainScheduleSource();
        var domains = Enumerable.Range(0, 6).Select(_ => Guid.NewGuid()).ToList();
        // checks (1.2 s) nearly as long as the interval (1.5 s): a second node would overlap if it could
        foreach (var id in domains)
        {
            source.Add(new DomainScheduleEntry(id, TimeSpan.FromMilliseconds(1500), true));
        }

        await using var a = await SchedulerTestHost.StartAsync(cs, "node-a", log, source, output, fires);
        await using var b = await SchedulerTestHost.StartAsync(cs, "node-b", log, source, output, fires);
        // both nodes ask for a "check now" of the same domain at once: one check, or two when the first had already
        // started firing when the second request was stored (TriggerConflict.Keep keeps only a pending trigger) - never overlapping
        await Task.WhenAll(a.Schedule.TriggerNowAsync(domains[0], CancellationToken.None), b.Schedule.TriggerNowAsync(domains[0], CancellationToken.None));
        await Task.Delay(TimeSpan.FromSeconds(10));
        await Task.WhenAll(a.StopAsync(), b.StopAsync());

        var checks = log.Checks;
        output.WriteLine($"{checks.Count} checks: node-a {checks.Count(c => c.Node == "node-a")}, node-b {checks.Count(c => c.Node == "node-b")}");
        Assert.Equal(0, log.Overlaps);
        foreach (var id in domains)
        {
            var runs = log.Of(id).OrderBy(c => c.Started).ToList();
            Assert.True(runs.Count >= 4, $"domain {id}: {runs.Count} checks");
            for (var i = 1; i < runs.Count; i++)
            {
                Assert.True(runs[i].Started >= runs[i - 1].Ended, $"domain {id}: {runs[i - 1]} overlaps {runs[i]}");
            }
        }
        // each firing (trigger + scheduled time) executed once, on one node
        var duplicates = fires.Fires.GroupBy(f => (f.Trigger, f.ScheduledFireTime)).Where(g => g.Count() > 1).ToList();
        Assert.True(duplicates.Count == 0, "fired twice: " + string.Join("; ", duplicates.Select(g => string.Join(", ", g))));
        Assert.Equal(fires.Fires.Count, checks.Count);
        Assert.InRange(fires.Fires.Count(f => f.Trigger.Equals(ScheduleKeys.Manual(domains[0]))), 1, 2);
    }
}
