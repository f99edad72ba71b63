using MonitorService.Checks.Model;
using MonitorService.Monitoring.Drift;

namespace MonitorService.Tests.Monitoring.Drift;

public class AvailabilityDriftTests
{
    private static readonly string[] Mx = ["mx1.example.net"];
    private static readonly PolicyVersion Enforce = D.Policy(StsMode.Enforce, D.Week, "mx1.example.net");
    private static readonly DateTimeOffset LastFetched = new(2026, 3, 13, 21, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    [InlineData(10, false)]
    public void Unreachable_fires_exactly_when_the_count_reaches_the_threshold(int failures, bool fires)
    {
        var history = new[]
        {
            D.Seen(D.Policy(StsMode.Testing, D.Day, "mx1.example.net"), "a0", LastFetched.AddDays(-20)),
            D.Seen(Enforce, "a1", LastFetched),
        };

        var events = D.Detect(D.State(Mx, "a1", Enforce), D.State(Mx, "a1", null, fetchFailed: true), history, failures);

        if (!fires)
        {
            Assert.Empty(events);
            return;
        }
        var e = Assert.Single(events);
        Assert.Equal(DriftCodes.PolicyUnreachable, e.Code);
        Assert.Equal(Severity.Error, e.Severity);
        Assert.Equal(LastFetched.AddSeconds(D.Week), e.Until);
        Assert.Contains("3 consecutive checks", e.Message);
        Assert.Contains("keep applying it until 2026-03-20 21:00 UTC", e.Message);
        Assert.Contains("https://mta-sts.example.com/.well-known/mta-sts.txt", e.Message);
    }

    [Fact]
    public void Unreachable_honours_a_custom_threshold_and_needs_history_and_a_failure()
    {
        var history = new[] { D.Seen(Enforce, "a1", LastFetched) };
        var failed = D.State(Mx, "a1", null, fetchFailed: true);

        Assert.Single(D.Detect(null, failed, history, failures: 1, threshold: 1));
        Assert.Empty(D.Detect(null, failed, [], failures: 3));
        Assert.Empty(D.Detect(D.State(Mx, "a1", Enforce), D.State(Mx, "a1", Enforce), history, failures: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => D.Detect(null, failed, history, failures: 0, threshold: 0));
    }

    [Fact]
    public void Unreachable_after_the_cache_ran_out_says_so()
    {
        var history = new[] { D.Seen(D.Policy(StsMode.Enforce, D.Day, "mx1.example.net"), "a1", D.Now.AddDays(-3)) };

        var e = Assert.Single(D.Detect(null, D.State(Mx, "a1", null, fetchFailed: true), history, failures: 3));

        Assert.Equal(D.Now.AddDays(-2), e.Until);
        Assert.Contains("ran out at 2026-03-12 09:12 UTC", e.Message);
    }

    [Fact]
    public void Txt_removed_while_enforce_window_open_is_a_warning_until_latest_window_end()
    {
        var history = new[]
        {
            D.Seen(D.Policy(StsMode.Enforce, 30 * D.Day, "mx0.example.net"), "a0", D.Now.AddDays(-10)),
            D.Seen(Enforce, "a1", LastFetched),
            D.Seen(D.Policy(StsMode.Testing, 90 * D.Day, "mx1.example.net"), "a2", LastFetched),
        };

        var events = D.Detect(D.State(Mx, "a1", Enforce), D.State(Mx, null, Enforce), history);

        var e = Assert.Single(events);
        Assert.Equal(DriftCodes.TxtRemoved, e.Code);
        Assert.Equal(Severity.Warning, e.Severity);
        Assert.Equal(D.Now.AddDays(20), e.Until);
        Assert.Contains("until 2026-04-03 09:12 UTC", e.Message);
        Assert.Contains("id \"a1\"", e.Message);
        Assert.Contains("mode: none", e.Message);
    }

    [Fact]
    public void Txt_removed_is_silent_after_windows_closed_on_lookup_failure_or_for_testing_only()
    {
        var closed = new[] { D.Seen(D.Policy(StsMode.Enforce, D.Day, "mx1.example.net"), "a1", D.Now.AddDays(-1)) };
        Assert.Empty(D.Detect(D.State(Mx, "a1", null), D.State(Mx, null, null), closed));

        var open = new[] { D.Seen(Enforce, "a1", LastFetched) };
        Assert.Empty(D.Detect(D.State(Mx, "a1", null), D.State(Mx, null, null, txtKnown: false), open));
        Assert.Empty(D.Detect(D.State(Mx, null, null), D.State(Mx, null, null), open));

        var testing = new[] { D.Seen(D.Policy(StsMode.Testing, D.Week, "mx1.example.net"), "a1", LastFetched) };
        Assert.Empty(D.Detect(D.State(Mx, "a1", null), D.State(Mx, null, null), testing));
    }
}
