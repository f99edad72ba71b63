using MonitorService.Scheduling;
using MonitorService.Testing;

namespace MonitorService.Tests.Scheduling;

public sealed class FirstCheckPacerTests
{
    [Fact]
    public void One_new_domain_is_checked_now_many_at_once_are_spaced_and_a_quiet_spell_resets_the_queue()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        var pacer = new FirstCheckPacer(new SchedulingOptions { FirstChecksPerSecond = 4 }, clock);
        var now = clock.GetUtcNow();

        Assert.Equal(now, pacer.Next());
        Assert.Equal(now.AddMilliseconds(250), pacer.Next());
        Assert.Equal(now.AddMilliseconds(500), pacer.Next());

        clock.Advance(TimeSpan.FromSeconds(0.6));
        // the queue is not past yet: next free slot
        Assert.Equal(now.AddMilliseconds(750), pacer.Next());

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(clock.GetUtcNow(), pacer.Next());
    }
}
