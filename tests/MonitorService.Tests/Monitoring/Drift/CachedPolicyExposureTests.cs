using MonitorService.Checks.Model;
using MonitorService.Monitoring.Drift;

namespace MonitorService.Tests.Monitoring.Drift;

public class CachedPolicyExposureTests
{
    private static readonly PolicyVersion Earlier = D.Policy(StsMode.Enforce, D.Week, "mx1.example.net");
    private static readonly PolicyVersion Current = D.Policy(StsMode.Enforce, D.Week, "mx1.example.net", "mx2.example.net");
    private static readonly DateTimeOffset EarlierLastSeen = new(2026, 3, 12, 6, 30, 0, TimeSpan.Zero);
    private static readonly PolicyObservation[] History =
    [
        D.Seen(Earlier, "a1", EarlierLastSeen),
        D.Seen(Current, "a2", D.Now.AddHours(-1)),
    ];

    [Fact]
    public void Mx_change_to_a_host_the_cached_policy_does_not_cover_is_an_exposure()
    {
        var events = D.Detect(
            D.State(["mx1.example.net"], "a2", Current),
            D.State(["mx2.example.net"], "a2", Current),
            History);

        Assert.Equal([DriftCodes.MxChanged, DriftCodes.CachedPolicyExposure], D.Codes(events));
        var e = events[1];
        Assert.Equal(Severity.Warning, e.Severity);
        Assert.Equal("a1", e.Subject);
        Assert.Equal(EarlierLastSeen.AddSeconds(D.Week), e.Until);
        Assert.Contains("current MX host(s) mx2.example.net", e.Message);
        Assert.Contains("until 2026-03-19 06:30 UTC", e.Message);
        Assert.Contains("last seen 2026-03-12 06:30 UTC", e.Message);
    }

    [Fact]
    public void Policy_change_also_announces_the_exposure()
    {
        var events = D.Detect(
            D.State(["mx1.example.net", "mx2.example.net"], "a1", Earlier),
            D.State(["mx1.example.net", "mx2.example.net"], "a2", Current),
            [History[0]]);

        Assert.Equal([DriftCodes.PolicyChanged, DriftCodes.CachedPolicyExposure], D.Codes(events));
        Assert.Contains("mx2.example.net", events[1].Message);
    }

    [Fact]
    public void Unchanged_check_does_not_repeat_the_exposure_but_find_still_sees_it()
    {
        var state = D.State(["mx1.example.net", "mx2.example.net"], "a2", Current);
        var input = D.Input(state, state, History);

        Assert.Empty(DriftDetector.Detect(input));
        var exposure = Assert.Single(CachedPolicyExposureRule.Find(input));
        Assert.Equal(["mx2.example.net"], exposure.UncoveredHosts);
        Assert.Equal("a1", exposure.Window.Observation.TxtId);
    }

    [Fact]
    public void No_exposure_when_window_closed_policy_not_enforce_or_hosts_covered()
    {
        var previous = D.State(["mx1.example.net"], "a2", Current);
        var current = D.State(["mx2.example.net"], "a2", Current);

        var closed = new[] { D.Seen(Earlier, "a1", D.Now.AddSeconds(-D.Week)) };
        Assert.Equal([DriftCodes.MxChanged], D.Codes(D.Detect(previous, current, closed)));

        var testing = new[] { D.Seen(D.Policy(StsMode.Testing, D.Week, "mx1.example.net"), "a1", EarlierLastSeen) };
        Assert.Equal([DriftCodes.MxChanged], D.Codes(D.Detect(previous, current, testing)));

        var wildcard = new[] { D.Seen(D.Policy(StsMode.Enforce, D.Week, "*.example.net"), "a1", EarlierLastSeen) };
        Assert.Equal([DriftCodes.MxChanged], D.Codes(D.Detect(previous, current, wildcard)));

        var deeper = D.State(["a.b.example.net"], "a2", Current);
        var events = D.Detect(previous, deeper, wildcard);
        Assert.Contains(DriftCodes.CachedPolicyExposure, D.Codes(events));
    }

    [Fact]
    public void The_published_policy_is_not_an_earlier_policy()
    {
        // The served policy's own gap is DRIFT_MX_NOT_COVERED, not an exposure.
        var events = D.Detect(
            D.State(["mx1.example.net"], "a1", Earlier),
            D.State(["mx2.example.net"], "a1", Earlier),
            [D.Seen(Earlier, "a1", D.Now.AddHours(-1))]);

        Assert.Equal([DriftCodes.MxChanged, DriftCodes.MxNotCovered], D.Codes(events));
    }

    [Fact]
    public void One_event_per_earlier_body_even_if_served_under_two_ids()
    {
        var history = new[] { D.Seen(Earlier, "a0", EarlierLastSeen.AddDays(-1)), D.Seen(Earlier, "a1", EarlierLastSeen), History[1] };

        var events = D.Detect(
            D.State(["mx1.example.net"], "a2", Current),
            D.State(["mx2.example.net"], "a2", Current),
            history);

        var e = Assert.Single(events, x => x.Code == DriftCodes.CachedPolicyExposure);
        Assert.Equal("a1", e.Subject);
        Assert.Equal(EarlierLastSeen.AddSeconds(D.Week), e.Until);
    }

    [Fact]
    public void Failed_mx_lookup_gives_no_exposure()
    {
        var events = D.Detect(
            D.State(["mx1.example.net"], "a1", Earlier),
            D.State(null, "a2", Current),
            [History[0]]);

        Assert.Equal([DriftCodes.PolicyChanged], D.Codes(events));
    }
}
