using MonitorService.Checks.Model;
using MonitorService.Monitoring;
using MonitorService.Monitoring.Drift;
using MonitorService.TlsRpt.Intake;
using MonitorService.TlsRpt.Views;

namespace MonitorService.Tests.TlsRpt;

/// <summary>The pure parts of "What senders saw": the daily series, the chart geometry, the stale-policy verdict, the setup help.</summary>
public class TlsRptViewLogicTests
{
    private static readonly DateOnly From = new(2026, 11, 1);

    [Fact]
    public void The_series_has_every_day_with_zeros_where_nobody_reported()
    {
        var days = DailySeries.Fill(From, From.AddDays(4), [new TlsRptDay(From.AddDays(1), 10, 2), new TlsRptDay(From.AddDays(1), 5, 1), new TlsRptDay(From.AddDays(3), 7, 0), new TlsRptDay(From.AddDays(9), 99, 99)]);
        Assert.Equal([From, From.AddDays(1), From.AddDays(2), From.AddDays(3), From.AddDays(4)], days.Select(d => d.Date));
        Assert.Equal([(0L, 0L), (15L, 3L), (0L, 0L), (7L, 0L), (0L, 0L)], days.Select(d => (d.Successful, d.Failed)));
    }

    [Fact]
    public void Bars_scale_to_the_busiest_day_and_failures_stay_visible()
    {
        var chart = SessionChart.Of([new TlsRptDay(From, 1000, 0), new TlsRptDay(From.AddDays(1), 400, 1), new TlsRptDay(From.AddDays(2), 0, 0)]);
        Assert.Equal(3, chart.Bars.Count);
        Assert.Equal(1000, chart.Ticks[^1].Value);
        Assert.Equal(chart.PlotHeight, chart.Bars[0].SuccessHeight, 2);
        Assert.Equal(chart.PlotHeight * 0.4, chart.Bars[1].SuccessHeight, 2);
        Assert.True(chart.Bars[1].FailedHeight >= 1.5);
        Assert.Equal(chart.Bars[1].SuccessY - chart.Bars[1].FailedHeight, chart.Bars[1].FailedY, 2);
        Assert.Equal((0d, 0d), (chart.Bars[2].SuccessHeight, chart.Bars[2].FailedHeight));
        Assert.True(chart.Bars[1].X > chart.Bars[0].X + chart.Bars[0].Width - 0.01);
        Assert.Equal(4, SessionChart.Of([new TlsRptDay(From, 0, 0)]).Ticks[^1].Value);
        Assert.Equal(new long[] { 4, 8, 20, 40, 80, 200, 4000 }, new long[] { 3, 7, 11, 40, 41, 199, 3999 }.Select(SessionChart.NiceCeiling));
    }

    private static PolicyObservation Policy(string mx, long maxAge, DateTimeOffset first, DateTimeOffset last)
    {
        var body = $"version: STSv1\nmode: enforce\nmx: {mx}\nmax_age: {maxAge}\n";
        return new PolicyObservation(CheckSnapshot.PolicyVersionOf(body), "id-" + mx, first, last);
    }

    private static readonly DateTimeOffset Switch = new(2026, 11, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly PolicyObservation Old = Policy("mx-old.example.test", 604800, Switch.AddDays(-60), Switch);
    private static readonly PolicyObservation New = Policy("mx-new.example.test", 604800, Switch.AddHours(1), Switch.AddDays(30));

    [Fact]
    public void The_policy_we_served_then_is_current_whatever_its_layout()
    {
        var judged = SenderPolicyCheck.Judge(["version: STSv1", "mode: enforce", "max_age: 604800", "mx: MX-NEW.example.test"], new DateOnly(2026, 11, 12), new DateOnly(2026, 11, 12), [Old, New]);
        Assert.Equal(SenderPolicyVerdict.Current, judged.Verdict);
    }

    [Fact]
    public void A_replaced_policy_within_its_max_age_is_a_stale_cache_and_beyond_it_is_different()
    {
        var stale = SenderPolicyCheck.Judge(["version: STSv1", "mode: enforce", "mx: mx-old.example.test", "max_age: 604800"], new DateOnly(2026, 11, 13), new DateOnly(2026, 11, 14), [Old, New]);
        Assert.Equal(SenderPolicyVerdict.StaleCached, stale.Verdict);
        Assert.Equal(Switch.AddSeconds(604800), stale.CachedUntil);
        var tooLate = SenderPolicyCheck.Judge(["version: STSv1", "mode: enforce", "mx: mx-old.example.test", "max_age: 604800"], new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 20), [Old, New]);
        Assert.Equal(SenderPolicyVerdict.Different, tooLate.Verdict);
        var never = SenderPolicyCheck.Judge(["version: STSv1", "mode: testing", "mx: mx-new.example.test", "max_age: 604800"], new DateOnly(2026, 11, 12), new DateOnly(2026, 11, 12), [Old, New]);
        Assert.Equal(SenderPolicyVerdict.Different, never.Verdict);
    }

    [Fact]
    public void Without_our_history_of_that_time_there_is_no_verdict()
    {
        var judged = SenderPolicyCheck.Judge(["version: STSv1", "mode: enforce", "mx: other.example.test", "max_age: 86400"], new DateOnly(2026, 6, 1), new DateOnly(2026, 6, 1), [Old, New]);
        Assert.Equal(SenderPolicyVerdict.Unknown, judged.Verdict);
    }

    private const string Key = "0123456789abcdef0123456789abcdef";
    private static readonly TlsRptAddresses Both = new TlsRptAddressOptions { PublicUrl = "https://monitor.example/tlsrpt", MailboxAddress = "tlsrpt@monitor.example" }.For(Key);

    [Fact]
    public void A_team_s_addresses_are_the_shared_ones_with_its_key()
    {
        Assert.Equal([$"mailto:tlsrpt+{Key}@monitor.example", $"https://monitor.example/tlsrpt/{Key}"], Both.Team);
        Assert.Equal(["mailto:tlsrpt@monitor.example", "https://monitor.example/tlsrpt"], Both.Shared);
        Assert.Equal([$"https://monitor.example/tlsrpt/{Key}"], new TlsRptAddressOptions { PublicUrl = "https://monitor.example/tlsrpt/" }.For(Key).Team);
    }

    [Fact]
    public void Setup_help_keeps_existing_destinations_and_adds_the_team_s_own()
    {
        var advice = TlsRptSetupHelp.For("example.test", ["mailto:reports@example.test", "https://other.example/r"], Both, sharedAddressShown: true);
        Assert.NotNull(advice);
        Assert.Equal("_smtp._tls.example.test", advice.RecordName);
        Assert.Equal(TlsRptSetupReason.NotToUs, advice.Reason);
        Assert.Equal($"v=TLSRPTv1; rua=mailto:reports@example.test,https://other.example/r,mailto:tlsrpt+{Key}@monitor.example,https://monitor.example/tlsrpt/{Key}", advice.RecordValue);
        var urlOnly = new TlsRptAddressOptions { PublicUrl = "https://monitor.example/tlsrpt" }.For(Key);
        var none = TlsRptSetupHelp.For("example.test", [], urlOnly, sharedAddressShown: true)!;
        Assert.Equal($"v=TLSRPTv1; rua=https://monitor.example/tlsrpt/{Key}", none.RecordValue);
        Assert.Equal(TlsRptSetupReason.NoRecord, none.Reason);
    }

    [Fact]
    public void No_setup_help_when_the_team_s_address_or_a_shown_shared_address_is_published()
    {
        Assert.Null(TlsRptSetupHelp.For("example.test", [$"mailto:TLSRPT+{Key}@monitor.example!10m"], Both, sharedAddressShown: false));
        Assert.Null(TlsRptSetupHelp.For("example.test", [$"https://monitor.example/tlsrpt/{Key}/"], Both, sharedAddressShown: false));
        Assert.Null(TlsRptSetupHelp.For("example.test", ["mailto:tlsrpt@monitor.example"], Both, sharedAddressShown: true));
        Assert.Null(TlsRptSetupHelp.For("example.test", [], new TlsRptAddressOptions().For(Key), sharedAddressShown: true));
    }

    [Fact]
    public void A_hidden_shared_address_is_replaced_by_the_team_s_own()
    {
        var advice = TlsRptSetupHelp.For("example.test", ["mailto:reports@example.test", "https://monitor.example/tlsrpt"], Both, sharedAddressShown: false);
        Assert.NotNull(advice);
        Assert.Equal(TlsRptSetupReason.SharedAddressHidden, advice.Reason);
        Assert.Equal($"v=TLSRPTv1; rua=mailto:reports@example.test,mailto:tlsrpt+{Key}@monitor.example,https://monitor.example/tlsrpt/{Key}", advice.RecordValue);
    }

    [Fact]
    public void A_plan_shows_what_senders_reported_since_it_started_and_who_still_applies_an_earlier_policy()
    {
        var days = DailySeries.Fill(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30),
            [new TlsRptDay(new DateOnly(2026, 11, 9), 1000, 1000), new TlsRptDay(new DateOnly(2026, 11, 10), 90, 10), new TlsRptDay(new DateOnly(2026, 11, 20), 50, 0)]);
        SenderPolicyView Applied(string organization, DateOnly last, SenderPolicyVerdict verdict) =>
            new(organization, [], last.AddDays(-3), last, 1, 0, new SenderPolicyJudgement(verdict, null, null));
        var policies = new[]
        {
            Applied("Stale Sender", new DateOnly(2026, 11, 12), SenderPolicyVerdict.StaleCached),
            Applied("Stale Sender", new DateOnly(2026, 11, 14), SenderPolicyVerdict.StaleCached),
            Applied("Before The Plan", new DateOnly(2026, 11, 9), SenderPolicyVerdict.StaleCached),
            Applied("Odd Sender", new DateOnly(2026, 11, 21), SenderPolicyVerdict.Different),
            Applied("Good Sender", new DateOnly(2026, 11, 21), SenderPolicyVerdict.Current),
        };

        var seen = PlanSenders.Of(new DateTimeOffset(2026, 11, 10, 15, 0, 0, TimeSpan.Zero), days, policies);
        Assert.Equal((new DateOnly(2026, 11, 10), 140L, 10L), (seen.Since, seen.Successful, seen.Failed));
        Assert.Equal(["Stale Sender"], seen.StaleCached);
        Assert.Equal(["Odd Sender"], seen.Different);

        // A plan older than the range shown counts from the range's first day.
        var old = PlanSenders.Of(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), days, []);
        Assert.Equal((new DateOnly(2026, 11, 1), 1140L, 1010L), (old.Since, old.Successful, old.Failed));
        Assert.False(PlanSenders.Of(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero), days, []).HasReports);
    }

    [Theory]
    [InlineData("tlsrpt+0123456789abcdef0123456789abcdef@monitor.example", Key)]
    [InlineData("TLSRPT+0123456789ABCDEF0123456789ABCDEF@monitor.example", Key)]
    [InlineData("a+b+0123456789abcdef0123456789abcdef@x", Key)]
    [InlineData("tlsrpt@monitor.example", null)]
    [InlineData("tlsrpt+short@monitor.example", null)]
    [InlineData("tlsrpt+0123456789abcdef0123456789abcdeg@monitor.example", null)]
    public void A_team_key_is_read_from_a_sub_address(string address, string? key)
    {
        Assert.Equal(key, TlsRptRecipientKeys.KeyOf(address));
    }

    [Theory]
    [InlineData("http://monitor.example/tlsrpt", null)]
    [InlineData("https://monitor.example/a,b", null)]
    [InlineData(null, "not-an-address")]
    [InlineData(null, "a@b;c")]
    [InlineData(null, "tlsrpt+x@monitor.example")]
    public void Addresses_that_would_break_a_rua_list_are_refused_at_start(string? url, string? mailbox)
    {
        Assert.NotEmpty(new TlsRptAddressOptions { PublicUrl = url, MailboxAddress = mailbox }.Validate());
    }
}
