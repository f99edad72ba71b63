using MonitorService.Scheduling;

namespace MonitorService.Tests.Scheduling;

/// <summary>The reconciler gives way to overdue checks before each batch it writes, for a bounded time.</summary>
public sealed class ReconcilePacingTests
{
    [Fact]
    public async Task Nothing_overdue_means_one_look_and_no_wait()
    {
        var asked = 0;
        var pacing = new ReconcilePacing(_ => { asked++; return Task.FromResult(false); }, Options(TimeSpan.FromSeconds(10)), TimeProvider.System);

        var waited = await pacing.YieldToDueChecksAsync(CancellationToken.None);

        Assert.Equal(1, asked);
        Assert.True(waited < TimeSpan.FromSeconds(1), $"waited {waited}");
    }

    [Fact]
    public async Task Overdue_checks_hold_the_batch_until_they_have_started()
    {
        var asked = 0;
        var pacing = new ReconcilePacing(_ => Task.FromResult(++asked <= 2), Options(TimeSpan.FromSeconds(10)), TimeProvider.System);

        var waited = await pacing.YieldToDueChecksAsync(CancellationToken.None);

        // two looks found checks overdue, the third none: two polls' wait, far from the limit
        Assert.Equal(3, asked);
        Assert.InRange(waited, TimeSpan.FromMilliseconds(190), TimeSpan.FromSeconds(9));
    }

    [Fact]
    public async Task A_cluster_that_stays_behind_holds_each_batch_for_the_limit_only()
    {
        var pacing = new ReconcilePacing(_ => Task.FromResult(true), Options(TimeSpan.FromMilliseconds(400)), TimeProvider.System);

        var waited = await pacing.YieldToDueChecksAsync(CancellationToken.None);

        Assert.InRange(waited, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_zero_limit_never_waits_nor_asks()
    {
        var asked = 0;
        var pacing = new ReconcilePacing(_ => { asked++; return Task.FromResult(true); }, Options(TimeSpan.Zero), TimeProvider.System);

        await pacing.YieldToDueChecksAsync(CancellationToken.None);

        Assert.Equal(0, asked);
    }

    private static SchedulingOptions Options(TimeSpan limit) => new() { ReconcileYieldLimit = limit };
}
