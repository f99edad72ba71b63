using MonitorService.Checks.Certificates;

namespace MonitorService.Checks.Tests.Certificates;

public class ChainVerdictCacheTests
{
    [Fact]
    public void A_chain_is_evaluated_once_within_ten_minutes_and_again_after()
    {
        var clock = new ManualTimeProvider();
        var cache = new ChainVerdictCache(clock);
        var evaluations = 0;
        (bool, IReadOnlyList<string>) Evaluate()
        {
            evaluations++;
            return (evaluations == 1, []);
        }

        Assert.True(cache.GetOrAdd("chain-a", Evaluate).Trusted);
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.True(cache.GetOrAdd("chain-a", Evaluate).Trusted);
        Assert.Equal(1, evaluations);

        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.False(cache.GetOrAdd("chain-a", Evaluate).Trusted); // re-evaluated: the verdict may change
        Assert.Equal(2, evaluations);
        cache.GetOrAdd("chain-b", Evaluate);
        Assert.Equal(3, evaluations);
    }
}
