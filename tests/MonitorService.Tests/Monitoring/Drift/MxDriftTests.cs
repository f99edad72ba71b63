using MonitorService.Checks.Model;
using MonitorService.Monitoring.Drift;

namespace MonitorService.Tests.Monitoring.Drift;

public class MxDriftTests
{
    private static readonly PolicyVersion Enforce = D.Policy(StsMode.Enforce, D.Week, "mx1.example.net", "*.example.net");

    [Fact]
    public void First_check_gives_no_change_events()
    {
        Assert.Empty(D.Detect(null, D.State(["mx1.example.net"], "a1", Enforce)));
    }

    [Fact]
    public void Changed_mx_set_names_added_and_removed_hosts()
    {
        var events = D.Detect(
            D.State(["mx1.example.net", "mx2.example.net"], "a1", Enforce),
            D.State(["mx2.example.net", "mx3.example.net"], "a1", Enforce));

        var e = Assert.Single(events);
        Assert.Equal(DriftCodes.MxChanged, e.Code);
        Assert.Equal(Severity.Info, e.Severity);
        Assert.Null(e.Subject);
        Assert.Null(e.Until);
        Assert.Contains("added mx3.example.net", e.Message);
        Assert.Contains("removed mx1.example.net", e.Message);
    }

    [Fact]
    public void Same_set_in_other_order_case_or_with_trailing_dot_is_no_change()
    {
        var events = D.Detect(
            D.State(["mx1.example.net", "mx2.example.net"], "a1", Enforce),
            D.State(["MX2.example.net.", "mx1.example.net"], "a1", Enforce));

        Assert.Empty(events);
    }

    [Fact]
    public void Failed_mx_lookup_now_or_before_gives_no_mx_events()
    {
        Assert.Empty(D.Detect(D.State(["mx1.example.net"], "a1", Enforce), D.State(null, "a1", Enforce)));
        Assert.Empty(D.Detect(D.State(null, "a1", Enforce), D.State(["a.b.example.net"], "a1", Enforce)));
    }

    [Fact]
    public void Wildcard_covers_one_label_only_so_deeper_host_is_not_covered()
    {
        var events = D.Detect(
            D.State(["mx1.example.net"], "a1", Enforce),
            D.State(["mx1.example.net", "mx7.example.net", "a.b.example.net"], "a1", Enforce));

        Assert.Equal([DriftCodes.MxChanged, DriftCodes.MxNotCovered], D.Codes(events));
        var e = events[1];
        Assert.Equal(Severity.Error, e.Severity);
        Assert.Equal("a.b.example.net", e.Subject);
        Assert.Contains("mx: a.b.example.net", e.Fix);
        Assert.Contains("https://mta-sts.example.com/.well-known/mta-sts.txt", e.Fix);
        Assert.Contains("_mta-sts.example.com TXT \"v=STSv1; id=", e.Fix);
        Assert.True(e.Fix!.IndexOf("mx: a.b.example.net", StringComparison.Ordinal) < e.Fix.IndexOf("new id", StringComparison.Ordinal));
        Assert.Contains("policy first, id second", e.Message);
        Assert.Contains("refuse to deliver", e.Message);
    }

    [Fact]
    public void One_event_per_uncovered_host_including_one_left_behind_and_one_id_for_all()
    {
        var policy = D.Policy(StsMode.Testing, D.Day, "mx1.example.net");
        var events = D.Detect(
            D.State(["mx1.example.net", "old.example.org"], "a1", policy),
            D.State(["old.example.org", "new.example.org"], "a1", policy));

        var notCovered = events.Where(e => e.Code == DriftCodes.MxNotCovered).ToList();
        Assert.Equal(["new.example.org", "old.example.org"], notCovered.Select(e => e.Subject));
        Assert.Contains("testing mode", notCovered[0].Message);
        var ids = notCovered.Select(e => e.Fix!).Select(f => f[f.IndexOf("id=", StringComparison.Ordinal)..]).Distinct();
        Assert.Single(ids);
    }

    [Fact]
    public void Mode_none_or_unusable_policy_covers_nothing_and_reports_nothing()
    {
        var none = D.Policy(StsMode.None, D.Day);
        Assert.Equal([DriftCodes.MxChanged],
            D.Codes(D.Detect(D.State(["mx1.example.net"], "a1", none), D.State(["mx9.example.org"], "a1", none))));

        var broken = new PolicyVersion("mode: enforce", StsMode.Enforce, null, ["mx1.example.net"], false);
        Assert.Equal([DriftCodes.MxChanged],
            D.Codes(D.Detect(D.State(["mx1.example.net"], "a1", broken), D.State(["mx9.example.org"], "a1", broken))));
    }

    [Fact]
    public void Falls_back_to_last_fetched_policy_when_this_fetch_failed()
    {
        var events = D.Detect(
            D.State(["mx1.example.net"], "a1", Enforce),
            D.State(["mx9.example.org"], "a1", null, fetchFailed: true),
            failures: 1);

        Assert.Equal([DriftCodes.MxChanged, DriftCodes.MxNotCovered], D.Codes(events));
        Assert.Equal("mx9.example.org", events[1].Subject);
    }
}
