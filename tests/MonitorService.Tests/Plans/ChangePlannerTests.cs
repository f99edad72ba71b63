using MonitorService.Checks.Model;
using MonitorService.Checks.Parsing;
using MonitorService.Plans;
using MonitorService.Storage.Entities;
using static MonitorService.Tests.Plans.P;

namespace MonitorService.Tests.Plans;

/// <summary>The steps, exact texts and first statuses of a plan, from plain values (no network, no database).</summary>
public class ChangePlannerTests
{
    private static string[] Actions(ChangePlan plan) => plan.Steps.OrderBy(s => s.N).Select(s => s.Action).ToArray();

    [Fact]
    public void A_move_to_a_new_provider_publishes_old_and_new_then_waits_then_switches_then_removes_the_old()
    {
        var plan = Plan();

        Assert.Equal([PlanActions.PublishPolicy, PlanActions.WaitForSenderCaches, PlanActions.SwitchMx, PlanActions.RemoveOldHosts], Actions(plan));
        Assert.Equal([1, 2, 3, 4], plan.Steps.Select(s => s.N));
        Assert.Equal("""
            Publish a policy that covers the current MX hosts and the new ones (mx3.example.net), before any MX record changes.

            1. Serve this policy at https://mta-sts.example.com/.well-known/mta-sts.txt (Content-Type: text/plain):

            version: STSv1
            mode: enforce
            mx: mx1.example.com
            mx: mx2.example.com
            mx: mx3.example.net
            max_age: 604800

            2. Then, once it is served, replace the _mta-sts record with the new id:

            _mta-sts.example.com TXT "v=STSv1; id=20261130T120000"

            """, Step(plan, 1).Text);
        Assert.Equal("""
            Change the MX records of example.com to exactly:

            example.com. IN MX 10 mx3.example.net.

            and remove the records pointing at mx1.example.com, mx2.example.com.

            """, Step(plan, 3).Text);
        Assert.Contains("version: STSv1\nmode: enforce\nmx: mx3.example.net\nmax_age: 604800\n", Step(plan, 4).Text, StringComparison.Ordinal);
        Assert.Contains("_mta-sts.example.com TXT \"v=STSv1; id=20261130T120000b\"", Step(plan, 4).Text, StringComparison.Ordinal);
        Assert.Contains("(mx1.example.com, mx2.example.com)", Step(plan, 4).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_the_first_step_is_ready_and_only_it_has_a_time()
    {
        var plan = Plan();

        Assert.Equal((ChangePlanStepStatus.Ready, T0), (Step(plan, 1).Status, Step(plan, 1).EarliestAt));
        Assert.All(plan.Steps.Skip(1), s => Assert.Equal((ChangePlanStepStatus.Pending, (DateTimeOffset?)null, (DateTimeOffset?)null), (s.Status, s.EarliestAt, s.DoneAt)));
        Assert.Equal((ChangePlanStates.Active, "20260101"), (plan.State, plan.CurrentTxtId));
        Assert.Contains("The time is set when the steps before are observed", Step(plan, 2).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_policy_the_plan_publishes_is_valid_and_covers_what_it_must()
    {
        var plan = Plan();
        foreach (var step in plan.Steps.Where(s => PlanActions.Publishes(s.Action)))
        {
            var body = step.Text[(step.Text.IndexOf("version:", StringComparison.Ordinal))..];
            body = body[..(body.IndexOf("\n\n", StringComparison.Ordinal) + 1)];
            var parsed = StsPolicyParser.Parse(body);
            Assert.True(parsed.Policy.IsUsable, $"step {step.N}: {body}");
            Assert.DoesNotContain(parsed.Findings, f => f.Severity == Severity.Error);
        }
        Assert.True(MxPatternMatcher.FindCoveringPattern(Step(plan, 1).PolicyMx, Mx3) is not null);
        Assert.True(MxPatternMatcher.FindCoveringPattern(Step(plan, 1).PolicyMx, Mx1) is not null);
        Assert.Null(MxPatternMatcher.FindCoveringPattern(Step(plan, 4).PolicyMx, Mx1));
    }

    [Fact]
    public void Wildcards_appear_only_where_the_existing_policy_has_them()
    {
        // The user's *.example.com already covers the new mx3.example.com; mx4.other.net is added by name, not as *.other.net.
        var plan = Plan(Baseline(patterns: ["*.example.com"]), Target(null, null, "mx3.example.com", "mx4.other.net"));

        Assert.Equal(["*.example.com", "mx4.other.net"], Step(plan, 1).PolicyMx);
        Assert.Contains("mx: *.example.com\nmx: mx4.other.net\n", Step(plan, 1).Text, StringComparison.Ordinal);
        // The wildcard still covers a new host, so nothing is left to remove: no fourth step.
        Assert.Equal([PlanActions.PublishPolicy, PlanActions.WaitForSenderCaches, PlanActions.SwitchMx], Actions(plan));
    }

    [Fact]
    public void New_hosts_the_policy_already_covers_need_no_new_policy_but_still_the_wait()
    {
        var plan = Plan(Baseline(patterns: ["*.example.com"]), Target(null, null, "mx9.example.com"));

        Assert.Equal([PlanActions.WaitForSenderCaches, PlanActions.SwitchMx], Actions(plan));
    }

    [Fact]
    public void Testing_to_enforce_is_a_last_step_after_the_clean_period_and_the_policies_before_it_stay_in_testing()
    {
        var plan = Plan(Baseline(mode: StsMode.Testing), Target(StsMode.Enforce));

        Assert.Equal([PlanActions.PublishPolicy, PlanActions.WaitForSenderCaches, PlanActions.SwitchMx, PlanActions.RemoveOldHosts, PlanActions.SwitchToEnforce], Actions(plan));
        Assert.Equal(["testing", "testing", "enforce"], plan.Steps.Where(s => PlanActions.Publishes(s.Action)).Select(s => s.PolicyMode));
        Assert.Contains("After 7 days of checks without errors", Step(plan, 5).Text, StringComparison.Ordinal);
        Assert.Contains("mode: enforce\nmx: mx3.example.net\nmax_age: 604800\n", Step(plan, 5).Text, StringComparison.Ordinal);
        Assert.Contains("id=20261130T120000c\"", Step(plan, 5).Text, StringComparison.Ordinal);
        Assert.Equal(("enforce", Week), (plan.TargetMode, plan.TargetMaxAge));
    }

    [Fact]
    public void A_lower_max_age_is_its_own_first_step_and_wait_and_every_later_policy_keeps_it()
    {
        var plan = Plan(target: Target(null, 86_400));

        Assert.Equal([PlanActions.LowerMaxAge, PlanActions.WaitForMaxAge, PlanActions.PublishPolicy, PlanActions.WaitForSenderCaches, PlanActions.SwitchMx, PlanActions.RemoveOldHosts], Actions(plan));
        Assert.Equal([86_400L, 86_400L, 86_400L], plan.Steps.Where(s => PlanActions.Publishes(s.Action)).Select(s => s.PolicyMaxAge!.Value));
        Assert.Equal([Mx1, Mx2], Step(plan, 1).PolicyMx);
        Assert.Contains("Lower max_age from 604800 s = 7 days to 86400 s = 1 day", Step(plan, 1).Text, StringComparison.Ordinal);
        Assert.Equal(["20261130T120000", "20261130T120000b", "20261130T120000c"], plan.Steps.Where(s => s.TxtId is not null).Select(s => s.TxtId));
    }

    [Fact]
    public void A_higher_max_age_waits_for_the_final_policy()
    {
        var plan = Plan(target: Target(null, 2 * Week));

        Assert.Equal(Week, Step(plan, 1).PolicyMaxAge);
        Assert.Equal(2 * Week, Step(plan, 4).PolicyMaxAge);
    }

    [Fact]
    public void The_new_id_is_never_the_published_one()
    {
        var plan = Plan(Baseline(id: "20261130T120000"));

        Assert.Equal("20261130T120000a", Step(plan, 1).TxtId);
    }

    [Fact]
    public void The_same_mx_set_is_refused_naming_the_field()
    {
        var e = Assert.Throws<PlanRequestException>(() => Plan(target: Target(null, null, Mx2, Mx1)));

        Assert.Equal((PlanError.Invalid, "newMx"), (e.Kind, e.Field));
        Assert.Contains("already mx1.example.com, mx2.example.com", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "mx 3.example.net" }, null, null, "newMx")]
    [InlineData(new[] { "mx3.example.net:70000" }, null, null, "newMx")]
    [InlineData(new[] { "192.0.2.1" }, null, null, "newMx")]
    [InlineData(new string[0], null, null, "newMx")]
    [InlineData(new[] { "mx3.example.net" }, "none", null, "mode")]
    [InlineData(new[] { "mx3.example.net" }, null, 0L, "maxAge")]
    [InlineData(new[] { "mx3.example.net" }, null, 31_557_601L, "maxAge")]
    public void Targets_are_validated_field_by_field(string[] mx, string? mode, long? maxAge, string field)
    {
        var e = Assert.Throws<PlanRequestException>(() => PlanTarget.Parse(mx, mode, maxAge));
        Assert.Equal((PlanError.Invalid, field), (e.Kind, e.Field));
    }

    [Fact]
    public void Targets_take_preferences_and_normalise_names()
    {
        var target = PlanTarget.Parse(["MX3.Example.NET.:5, mx4.example.net"], "enforce", 86_400);

        Assert.Equal([(5, "mx3.example.net"), (20, "mx4.example.net")], target.Mx.Select(r => (r.Preference, r.Host)));
        Assert.Equal((StsMode.Enforce, 86_400L), (target.Mode, target.MaxAge));
    }
}
