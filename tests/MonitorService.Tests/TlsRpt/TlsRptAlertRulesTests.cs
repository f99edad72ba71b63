using MonitorService.TlsRpt.Alerts;

namespace MonitorService.Tests.TlsRpt;

/// <summary>When a report day alerts: the threshold (count and share), a result type never seen, failures we cannot explain.</summary>
public class TlsRptAlertRulesTests
{
    private static readonly TlsRptAlertOptions Defaults = new();
    private static readonly DateOnly Day = new(2026, 11, 20);
    private static readonly HashSet<string> Known = ["certificate-expired"];

    private static DayFacts Facts(long ok, long failed, long unexplained = 0) =>
        new(Day, ok, failed, failed == 0 ? [] : [new ResultTypeSessions("certificate-expired", failed, unexplained)], Known);

    [Fact]
    public void The_threshold_needs_both_ten_sessions_and_one_percent()
    {
        Assert.True(TlsRptAlertRules.Decide(Facts(990, 10), Defaults) is { Alert: true, Severity: "error" });
        Assert.False(TlsRptAlertRules.Decide(Facts(990, 9), Defaults).Alert);
        Assert.False(TlsRptAlertRules.Decide(Facts(1000, 10), Defaults).Alert); // 0.99 %
        Assert.False(TlsRptAlertRules.Decide(Facts(0, 0), Defaults).Alert);
        Assert.True(TlsRptAlertRules.Decide(Facts(0, 10), new TlsRptAlertOptions { MinFailedSessions = 10, MinFailurePercent = 100 }).Alert);
    }

    [Fact]
    public void A_result_type_never_seen_for_the_domain_alerts_even_below_the_threshold()
    {
        var facts = new DayFacts(Day, 1000, 2, [new ResultTypeSessions("certificate-expired", 1, 0), new ResultTypeSessions("starttls-not-supported", 1, 0)], Known);
        var decision = TlsRptAlertRules.Decide(facts, Defaults);
        Assert.True(decision is { Alert: true, Severity: "warning" });
        Assert.Equal(["starttls-not-supported"], decision.NewResultTypes);
    }

    [Fact]
    public void Failures_nothing_explains_alert_from_the_configured_count()
    {
        Assert.True(TlsRptAlertRules.Decide(Facts(1000, 2, unexplained: 1), Defaults) is { Alert: true, Severity: "error" });
        Assert.False(TlsRptAlertRules.Decide(Facts(1000, 2, unexplained: 1), new TlsRptAlertOptions { MinUnexplainedSessions = 2 }).Alert);
        Assert.False(TlsRptAlertRules.Decide(Facts(1000, 2, unexplained: 0), Defaults).Alert);
    }

    [Fact]
    public void Each_reason_carries_the_code_of_its_rule()
    {
        var facts = new DayFacts(Day, 100, 20, [new ResultTypeSessions("starttls-not-supported", 20, 20)], Known);
        Assert.Equal([TlsRptAlertCodes.FailedSessions, TlsRptAlertCodes.NewResultType, TlsRptAlertCodes.Unexplained],
            TlsRptAlertRules.Decide(facts, Defaults).Reasons.Select(r => r.Code));
    }

    [Fact]
    public void Settings_out_of_range_are_refused_at_start()
    {
        Assert.Empty(Defaults.Validate());
        Assert.NotEmpty(new TlsRptAlertOptions { MinFailedSessions = 0 }.Validate());
        Assert.NotEmpty(new TlsRptAlertOptions { MinFailurePercent = 101 }.Validate());
        Assert.NotEmpty(new TlsRptAlertOptions { MinUnexplainedSessions = 0 }.Validate());
        Assert.NotEmpty(new TlsRptAlertOptions { Interval = TimeSpan.FromSeconds(1) }.Validate());
        Assert.NotEmpty(new TlsRptAlertOptions { MaxReportAgeDays = 0 }.Validate());
    }
}
