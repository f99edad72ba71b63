using MonitorService.Checks.Model;
using MonitorService.Monitoring.Drift;

namespace MonitorService.Tests.Monitoring.Drift;

public class PolicyDriftTests
{
    private static readonly string[] Mx = ["mx1.example.net"];
    private static readonly PolicyVersion Old = D.Policy(StsMode.Enforce, D.Week, "mx1.example.net");
    private static readonly PolicyVersion New = D.Policy(StsMode.Enforce, D.Week, "mx1.example.net", "mx2.example.net");
    private static readonly DateTimeOffset LastCheck = D.Now.AddHours(-1);

    [Fact]
    public void Body_and_id_changed_together_is_policy_changed_not_stale_id()
    {
        var events = D.Detect(D.State(Mx, "a1", Old), D.State(Mx, "a2", New), [D.Seen(Old, "a1", LastCheck)]);

        var e = Assert.Single(events);
        Assert.Equal(DriftCodes.PolicyChanged, e.Code);
        Assert.Equal(Severity.Info, e.Severity);
        Assert.Equal("a2", e.Subject);
        Assert.Contains("mx added mx2.example.net", e.Message);
        Assert.Contains("\"a1\" → \"a2\"", e.Message);
    }

    [Fact]
    public void Body_changed_under_same_id_is_stale_id_until_last_seen_plus_max_age()
    {
        var events = D.Detect(D.State(Mx, "a1", Old), D.State(Mx, "a1", New), [D.Seen(Old, "a1", LastCheck)]);

        var e = Assert.Single(events);
        Assert.Equal(DriftCodes.StaleId, e.Code);
        Assert.Equal(Severity.Error, e.Severity);
        Assert.Equal("a1", e.Subject);
        Assert.Equal(LastCheck.AddSeconds(D.Week), e.Until);
        Assert.Contains("until 2026-03-21 08:12 UTC", e.Message);
        Assert.Contains("last seen 2026-03-14 08:12 UTC", e.Message);
        Assert.Contains("mox, Stalwart, PMSR", e.Message);
        Assert.Contains("publish a new id now", e.Message);
        Assert.StartsWith("_mta-sts.example.com TXT \"v=STSv1; id=", e.Fix);
        Assert.DoesNotContain("id=a1\"", e.Fix);
    }

    [Fact]
    public void Id_changed_with_same_body_is_txt_id_changed()
    {
        var events = D.Detect(D.State(Mx, "a1", Old), D.State(Mx, "a2", Old), [D.Seen(Old, "a1", LastCheck)]);

        var e = Assert.Single(events);
        Assert.Equal(DriftCodes.TxtIdChanged, e.Code);
        Assert.Equal(Severity.Info, e.Severity);
        Assert.Contains("from \"a1\" to \"a2\"", e.Message);
    }

    [Fact]
    public void Id_changed_first_then_body_changed_without_new_id_is_stale_id()
    {
        // CACHE-03: senders fetched the old body under the new id.
        var history = new[] { D.Seen(Old, "a1", D.Now.AddDays(-2)), D.Seen(Old, "a2", LastCheck) };

        var events = D.Detect(D.State(Mx, "a2", Old), D.State(Mx, "a2", New), history);

        var e = Assert.Single(events);
        Assert.Equal(DriftCodes.StaleId, e.Code);
        Assert.Equal(LastCheck.AddSeconds(D.Week), e.Until);
    }

    [Fact]
    public void Id_changed_in_a_check_whose_fetch_failed_is_not_mistaken_for_stale_id()
    {
        // Check 1: Old under a1. Check 2: TXT says a2, fetch failed (last known id = a2). Check 3: New under a2.
        var events = D.Detect(D.State(Mx, "a2", Old), D.State(Mx, "a2", New), [D.Seen(Old, "a1", D.Now.AddHours(-2))]);

        Assert.Equal([DriftCodes.PolicyChanged], D.Codes(events));
    }

    [Fact]
    public void Current_observation_in_history_is_ignored_for_the_earlier_id()
    {
        var history = new[] { D.Seen(Old, "a1", LastCheck), D.Seen(Old, "a2", D.Now) };

        var events = D.Detect(D.State(Mx, "a1", Old), D.State(Mx, "a2", Old), history);

        Assert.Equal([DriftCodes.TxtIdChanged], D.Codes(events));
    }

    [Fact]
    public void Failed_fetch_or_failed_txt_lookup_compares_nothing()
    {
        var history = new[] { D.Seen(Old, "a1", LastCheck) };
        Assert.Empty(D.Detect(D.State(Mx, "a1", Old), D.State(Mx, "a2", null, fetchFailed: true), history, failures: 1));
        Assert.Empty(D.Detect(D.State(Mx, "a1", Old), D.State(Mx, null, New, txtKnown: false), history));
    }

    [Fact]
    public void Same_body_with_other_line_endings_is_no_change()
    {
        var lf = Old with { Body = Old.Body.Replace("\r\n", "\n", StringComparison.Ordinal) };

        Assert.Empty(D.Detect(D.State(Mx, "a1", Old), D.State(Mx, "a1", lf), [D.Seen(Old, "a1", LastCheck)]));
    }

    [Fact]
    public void Fixing_an_invalid_body_under_the_same_id_is_not_stale_id()
    {
        var broken = new PolicyVersion("version: STSv1\nmode: enforce\nmx: mx1.example.net\n", StsMode.Enforce, null, ["mx1.example.net"], false);

        var events = D.Detect(D.State(Mx, "a1", broken), D.State(Mx, "a1", Old), [D.Seen(broken, "a1", LastCheck)]);

        var e = Assert.Single(events);
        Assert.Equal(DriftCodes.PolicyChanged, e.Code);
        Assert.Contains("not valid", e.Message);
    }

    [Theory]
    [InlineData(StsMode.Enforce, StsMode.Testing)]
    [InlineData(StsMode.Enforce, StsMode.None)]
    [InlineData(StsMode.Testing, StsMode.None)]
    public void Mode_downgrade_is_a_warning(StsMode before, StsMode after)
    {
        var from = D.Policy(before, D.Week, "mx1.example.net");
        var to = D.Policy(after, D.Week, "mx1.example.net");

        var events = D.Detect(D.State(Mx, "a1", from), D.State(Mx, "a2", to), [D.Seen(from, "a1", LastCheck)]);

        Assert.Equal([DriftCodes.PolicyChanged, DriftCodes.ModeDowngrade], D.Codes(events));
        var e = events[1];
        Assert.Equal(Severity.Warning, e.Severity);
        Assert.Contains($"from {StsPolicy.ModeName(before)} to {StsPolicy.ModeName(after)}", e.Message);
    }

    [Fact]
    public void Upgrade_or_unusable_new_policy_is_no_downgrade()
    {
        var testing = D.Policy(StsMode.Testing, D.Week, "mx1.example.net");
        Assert.DoesNotContain(DriftCodes.ModeDowngrade,
            D.Codes(D.Detect(D.State(Mx, "a1", testing), D.State(Mx, "a2", Old), [D.Seen(testing, "a1", LastCheck)])));

        var brokenTesting = new PolicyVersion("mode: testing", StsMode.Testing, null, [], false);
        Assert.DoesNotContain(DriftCodes.ModeDowngrade,
            D.Codes(D.Detect(D.State(Mx, "a1", Old), D.State(Mx, "a2", brokenTesting), [D.Seen(Old, "a1", LastCheck)])));
    }
}
