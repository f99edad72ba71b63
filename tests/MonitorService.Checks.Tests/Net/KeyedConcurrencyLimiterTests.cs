using MonitorService.Checks.Net;

namespace MonitorService.Checks.Tests.Net;

public class KeyedConcurrencyLimiterTests
{
    [Fact]
    public async Task No_more_than_the_limit_hold_one_key_at_once_while_other_keys_are_independent()
    {
        var limiter = new KeyedConcurrencyLimiter(perKey: 2);
        var holding = 0;
        var most = 0;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task HoldAsync()
        {
            using (await limiter.AcquireAsync("192.0.2.1", CancellationToken.None))
            {
                var now = Interlocked.Increment(ref holding);
                InterlockedMax(ref most, now);
                await gate.Task;
                Interlocked.Decrement(ref holding);
            }
        }

        var workers = Enumerable.Range(0, 10).Select(_ => Task.Run(HoldAsync)).ToList();
        // Two hold the key and eight wait; give the waiters every chance to get in wrongly.
        for (var i = 0; i < 500 && Volatile.Read(ref holding) < 2; i++)
            await Task.Delay(10);
        await Task.Delay(100);
        Assert.Equal(2, Volatile.Read(ref holding));
        using (var other = await limiter.AcquireAsync("192.0.2.2", CancellationToken.None))
            Assert.NotNull(other); // another server is not held up by the first one's queue
        gate.SetResult();
        await Task.WhenAll(workers);

        Assert.Equal(2, most);
        Assert.Equal(0, limiter.ActiveKeys); // released keys are forgotten
    }

    [Fact]
    public async Task A_cancelled_wait_gives_its_place_back()
    {
        var limiter = new KeyedConcurrencyLimiter(perKey: 1);
        var held = await limiter.AcquireAsync("mx", CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = limiter.AcquireAsync("mx", cancel.Token);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        held.Dispose();

        Assert.Equal(0, limiter.ActiveKeys);
        using var again = await limiter.AcquireAsync("mx", CancellationToken.None);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
