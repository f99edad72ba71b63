using MonitorService.Checks.Model;
using MonitorService.Monitoring.Drift;

namespace MonitorService.Tests.Monitoring.Drift;

public class SenderCacheClockTests
{
    [Fact]
    public void Window_ends_exactly_at_last_seen_plus_max_age_seconds()
    {
        var lastSeen = new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
        var obs = D.Seen(D.Policy(StsMode.Enforce, 86400, "mx1.example.net"), "a1", lastSeen);

        var open = SenderCacheClock.OpenWindows([obs], lastSeen.AddSeconds(86399));

        var window = Assert.Single(open);
        Assert.Same(obs, window.Observation);
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero), window.Until);
        Assert.Empty(SenderCacheClock.OpenWindows([obs], lastSeen.AddSeconds(86400)));
    }

    [Fact]
    public void Uses_last_seen_not_first_seen_and_odd_second_counts()
    {
        var lastSeen = new DateTimeOffset(2026, 3, 10, 8, 0, 0, TimeSpan.Zero);
        var obs = D.Seen(D.Policy(StsMode.Testing, 3601, "mx1.example.net"), "a1", lastSeen, firstSeen: lastSeen.AddDays(-90));

        var window = Assert.Single(SenderCacheClock.OpenWindows([obs], lastSeen));

        Assert.Equal(lastSeen.AddHours(1).AddSeconds(1), window.Until);
    }

    [Fact]
    public void Unusable_policies_and_closed_windows_are_left_out_in_history_order()
    {
        var now = D.Now;
        var closed = D.Seen(D.Policy(StsMode.Enforce, D.Day, "mx0.example.net"), "a0", now.AddDays(-2));
        var broken = D.Seen(new PolicyVersion("mode: enforce", StsMode.Enforce, null, [], false), "a1", now.AddHours(-1));
        var older = D.Seen(D.Policy(StsMode.Enforce, D.Week, "mx1.example.net"), "a2", now.AddDays(-3));
        var newer = D.Seen(D.Policy(StsMode.None, D.Day, "mx1.example.net"), "a3", now.AddHours(-2));

        var open = SenderCacheClock.OpenWindows([closed, broken, older, newer], now);

        Assert.Equal([older, newer], open.Select(w => w.Observation));
        Assert.Equal(now.AddDays(4), open[0].Until);
    }
}
