using MonitorService.Monitoring;
using MonitorService.Monitoring.Drift;
using MonitorService.Retention;

namespace MonitorService.Tests.Retention;

/// <summary>The keep rules alone: which old observations drift detection still reads.</summary>
public class ObservationKeepRulesTests
{
    private static readonly DateTimeOffset Now = new(2028, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = Now - TimeSpan.FromDays(400);
    private static readonly DateTimeOffset Old = Now - TimeSpan.FromDays(900);

    private static PolicyVersion Policy(long maxAge, string mx = "mx1.example.test") =>
        CheckSnapshot.PolicyVersionOf($"version: STSv1\nmode: enforce\nmax_age: {maxAge}\nmx: {mx}\n");

    private static ObservationFacts Seen(long id, DateTimeOffset first, DateTimeOffset? last, long? policy = null, string? txtId = "a",
        bool mx = true, bool txt = true, bool drift = false) =>
        new(id, first, last, mx, txt, policy is not null, policy, txtId, drift);

    [Fact]
    public void Only_observations_that_ended_before_the_cutoff_and_that_no_rule_keeps_are_prunable()
    {
        var policies = new Dictionary<long, PolicyVersion> { [10] = Policy(86400) };
        List<ObservationFacts> observations =
        [
            Seen(1, Old, Old.AddHours(1), 10),
            Seen(2, Old.AddHours(2), Old.AddHours(3), 10, drift: true),
            Seen(3, Cutoff.AddDays(-1), Cutoff.AddDays(1), 10), // ended after the cutoff
            Seen(4, Cutoff.AddDays(2), null, 10),
        ];

        Assert.Equal([1], ObservationKeepRules.Prunable(observations, policies, 4, Now, Now, Cutoff));
    }

    [Fact]
    public void The_last_policy_senders_could_cache_is_kept_after_its_window_closed()
    {
        // The domain's last cacheable policy (id 20) was followed by a body no sender can cache (invalid max_age):
        // DRIFT_POLICY_UNREACHABLE says when copies of policy 20 ran out.
        var policies = new Dictionary<long, PolicyVersion>
        {
            [10] = Policy(86400), [20] = Policy(86400, "mx2.example.test"), [30] = CheckSnapshot.PolicyVersionOf("version: STSv1\nmode: enforce\nmx: mx1.example.test\n"),
        };
        Assert.Null(policies[30].MaxAge);
        List<ObservationFacts> observations =
        [
            Seen(1, Old, Old.AddHours(1), 10, "a"),
            Seen(2, Old.AddHours(2), Old.AddHours(3), 20, "b"),
            Seen(3, Old.AddHours(4), null, 30, "c"),
        ];

        Assert.Equal([1], ObservationKeepRules.Prunable(observations, policies, 3, Now, Now, Cutoff));
    }

    [Fact]
    public void The_last_sighting_of_the_current_body_under_an_id_is_kept()
    {
        // The current observation serves the body without a TXT record; the id it was last served under decides
        // between DRIFT_STALE_ID and DRIFT_POLICY_CHANGED when the body changes next.
        var policies = new Dictionary<long, PolicyVersion> { [10] = Policy(86400), [20] = Policy(86400, "mx2.example.test") };
        List<ObservationFacts> observations =
        [
            Seen(1, Old, Old.AddHours(1), 20, "x"),
            Seen(2, Old.AddHours(2), Old.AddHours(3), 10, "a"),
            Seen(3, Old.AddHours(4), null, 10, txtId: null),
        ];

        Assert.Equal([1], ObservationKeepRules.Prunable(observations, policies, 3, Now, Now, Cutoff));
    }

    [Fact]
    public void The_newest_observation_that_knew_each_part_is_kept()
    {
        List<ObservationFacts> observations =
        [
            Seen(1, Old, Old.AddHours(1)),
            Seen(2, Old.AddHours(2), Old.AddHours(3), txt: false),
            Seen(3, Old.AddHours(4), Old.AddHours(5), mx: false),
            Seen(4, Old.AddHours(6), null, mx: false, txt: false),
        ];

        Assert.Equal([1], ObservationKeepRules.Prunable(observations, new Dictionary<long, PolicyVersion>(), 4, Now, Now, Cutoff));
    }
}
