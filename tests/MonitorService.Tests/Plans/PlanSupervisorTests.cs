using MonitorService.Checks.Model;
using MonitorService.Monitoring.Drift;
using MonitorService.Plans;
using MonitorService.Storage.Entities;
using static MonitorService.Tests.Plans.P;

namespace MonitorService.Tests.Plans;

/// <summary>
/// How checks advance a plan, from constructed check results and policy histories (no network, no database): the
/// sender-cache clock sets the waits, out-of-order steps are early, a forgotten id is caught at the step.
/// </summary>
public class PlanSupervisorTests
{
    private static readonly PolicyVersion P0 = Policy("enforce", Week, Mx1, Mx2);
    private static readonly PolicyVersion P1 = Policy("enforce", Week, Mx1, Mx2, Mx3);
    private static readonly PolicyVersion P2 = Policy("enforce", Week, Mx3);
    private static readonly string[] OldMx = [Mx1, Mx2];
    private static readonly string[] NewMx = [Mx3];

    /// <summary>The old policy was last seen an hour after the plan; step 1 is observed then.</summary>
    private static readonly DateTimeOffset Step1At = T0.AddHours(1);
    private static readonly DateTimeOffset SafeAt = T0 + TimeSpan.FromSeconds(Week);

    private static List<PolicyObservation> HistoryAfterStep1(DateTimeOffset now) =>
        [Seen(P0, "20260101", T0.AddDays(-100), T0), Seen(P1, "20261130T120000", Step1At, now)];

    /// <summary>A plan whose step 1 (old + new hosts, new id) was observed at <see cref="Step1At"/>.</summary>
    private static ChangePlan PlanAfterStep1()
    {
        var plan = Plan();
        Advance(plan, Check(Step1At, OldMx, "20261130T120000", P1, HistoryAfterStep1(Step1At)));
        return plan;
    }

    [Fact]
    public void The_right_order_completes_the_plan_with_no_alert_and_each_step_at_its_time()
    {
        var plan = Plan();

        var first = Advance(plan, Check(Step1At, OldMx, "20261130T120000", P1, HistoryAfterStep1(Step1At)));
        Assert.Equal([(PlanTransitionKind.Done, 1)], first.Select(t => (t.Kind, t.Step)));
        Assert.Equal((ChangePlanStepStatus.Done, Step1At), (Step(plan, 1).Status, Step(plan, 1).DoneAt));
        // The wait's end comes from the sender-cache clock: the old policy last seen at T0 plus its max_age.
        Assert.Equal((ChangePlanStepStatus.Pending, SafeAt), (Step(plan, 2).Status, Step(plan, 2).EarliestAt));
        Assert.Contains("Wait until 2026-12-07 12:00 UTC", Step(plan, 2).Text, StringComparison.Ordinal);
        Assert.Equal("20261130T120000", plan.CurrentTxtId);
        // The switch shows its safe time while the wait is still on; it is not ready before then.
        Assert.Equal((ChangePlanStepStatus.Pending, SafeAt), (Step(plan, 3).Status, Step(plan, 3).EarliestAt));
        Assert.Null(Step(plan, 4).EarliestAt);

        var waiting = SafeAt.AddMinutes(-1);
        Assert.Empty(Advance(plan, Check(waiting, OldMx, "20261130T120000", P1, HistoryAfterStep1(waiting))));
        Assert.Equal(ChangePlanStepStatus.Pending, Step(plan, 3).Status);

        var safe = SafeAt.AddMinutes(30);
        var ready = Advance(plan, Check(safe, OldMx, "20261130T120000", P1, HistoryAfterStep1(safe)));
        Assert.Equal([(PlanTransitionKind.Done, 2), (PlanTransitionKind.Ready, 3)], ready.Select(t => (t.Kind, t.Step)));
        Assert.Contains("you can switch the MX records of example.com now", ready[1].Message, StringComparison.Ordinal);
        Assert.Equal((ChangePlanStepStatus.Ready, SafeAt), (Step(plan, 3).Status, Step(plan, 3).EarliestAt));

        var switched = safe.AddHours(1);
        var mx = Advance(plan, Check(switched, NewMx, "20261130T120000", P1, HistoryAfterStep1(switched)));
        Assert.Equal([(PlanTransitionKind.Done, 3), (PlanTransitionKind.Ready, 4)], mx.Select(t => (t.Kind, t.Step)));

        var final = switched.AddHours(1);
        List<PolicyObservation> history = [.. HistoryAfterStep1(switched), Seen(P2, "20261130T120000b", final, final)];
        var done = Advance(plan, Check(final, NewMx, "20261130T120000b", P2, history));
        Assert.Equal([(PlanTransitionKind.Done, 4), (PlanTransitionKind.Completed, 4)], done.Select(t => (t.Kind, t.Step)));
        Assert.Equal((ChangePlanStates.Done, final), (plan.State, plan.EndedAt));
        Assert.All(plan.Steps, s => Assert.Equal(ChangePlanStepStatus.Done, s.Status));
        Assert.DoesNotContain(first.Concat(ready).Concat(mx).Concat(done), t => t.Alert || t.Kind == PlanTransitionKind.Early);
        Assert.Empty(Advance(plan, Check(final.AddHours(1), NewMx, "20261130T120000b", P2, history)));
    }

    [Fact]
    public void Switching_mx_before_the_caches_ran_out_is_early_and_alerts_once_naming_the_exposure_window()
    {
        var plan = PlanAfterStep1();

        var at = Step1At.AddHours(2);
        var early = Advance(plan, Check(at, NewMx, "20261130T120000", P1, HistoryAfterStep1(at)));

        var alert = Assert.Single(early);
        Assert.Equal((PlanTransitionKind.Early, 3, true, SafeAt), (alert.Kind, alert.Step, alert.Alert, alert.Until));
        Assert.Contains("were switched to mx3.example.net before it was safe", alert.Message, StringComparison.Ordinal);
        Assert.Contains("served under id \"20260101\"", alert.Message, StringComparison.Ordinal);
        Assert.Contains("may apply it until 2026-12-07 12:00 UTC and refuse mail to mx3.example.net", alert.Message, StringComparison.Ordinal);
        Assert.Equal((ChangePlanStepStatus.Early, at), (Step(plan, 3).Status, Step(plan, 3).DoneAt));

        var later = at.AddHours(1);
        Assert.Empty(Advance(plan, Check(later, NewMx, "20261130T120000", P1, HistoryAfterStep1(later))));
        Assert.Equal(ChangePlanStepStatus.Early, Step(plan, 3).Status);
        // The plan goes on: once the wait is over the old hosts can be removed.
        var safe = SafeAt.AddHours(1);
        var after = Advance(plan, Check(safe, NewMx, "20261130T120000", P1, HistoryAfterStep1(safe)));
        Assert.Equal([(PlanTransitionKind.Done, 2), (PlanTransitionKind.Ready, 4)], after.Select(t => (t.Kind, t.Step)));
    }

    [Fact]
    public void A_new_host_added_next_to_the_old_ones_too_early_is_already_early()
    {
        var plan = PlanAfterStep1();
        var at = Step1At.AddHours(2);

        var early = Assert.Single(Advance(plan, Check(at, [Mx1, Mx2, Mx3], "20261130T120000", P1, HistoryAfterStep1(at))));

        Assert.Equal((PlanTransitionKind.Early, true), (early.Kind, early.Alert));
        Assert.Equal((ChangePlanStepStatus.Early, (DateTimeOffset?)null), (Step(plan, 3).Status, Step(plan, 3).DoneAt));
        var done = Advance(plan, Check(at.AddHours(1), NewMx, "20261130T120000", P1, HistoryAfterStep1(at.AddHours(1))));
        Assert.Equal((PlanTransitionKind.Done, 3, false), (done[0].Kind, done[0].Step, done[0].Alert));
        Assert.Equal(ChangePlanStepStatus.Early, Step(plan, 3).Status);
    }

    [Fact]
    public void Switching_mx_before_step_1_is_early_and_names_the_published_policy()
    {
        var plan = Plan();
        var at = T0.AddHours(1);

        var early = Assert.Single(Advance(plan, Check(at, NewMx, "20260101", P0, [Seen(P0, "20260101", T0.AddDays(-100), at)])));

        Assert.True(early.Alert);
        Assert.Contains("the steps before it are not done", early.Message, StringComparison.Ordinal);
        Assert.Equal(at + TimeSpan.FromSeconds(Week), early.Until);
        Assert.Equal(ChangePlanStepStatus.Ready, Step(plan, 1).Status);
    }

    [Fact]
    public void A_policy_published_without_a_new_id_is_caught_at_step_1_and_reported_once()
    {
        var plan = Plan();
        var at = T0.AddHours(1);
        List<PolicyObservation> history = [Seen(P0, "20260101", T0.AddDays(-100), T0), Seen(P1, "20260101", at, at)];

        var problem = Assert.Single(Advance(plan, Check(at, OldMx, "20260101", P1, history)));

        Assert.Equal((PlanTransitionKind.Problem, 1), (problem.Kind, problem.Step));
        Assert.Contains("still has the id \"20260101\"", problem.Message, StringComparison.Ordinal);
        Assert.Contains("_mta-sts.example.com TXT \"v=STSv1; id=20261130T120000\"", problem.Message, StringComparison.Ordinal);
        Assert.Equal((ChangePlanStepStatus.Ready, (DateTimeOffset?)null), (Step(plan, 1).Status, Step(plan, 1).DoneAt));
        Assert.Equal(problem.Message, plan.Problem);
        Assert.Empty(Advance(plan, Check(at.AddHours(1), OldMx, "20260101", P1, history)));

        // The id published: step 1 is done and the problem gone.
        var fixedAt = at.AddHours(2);
        var done = Advance(plan, Check(fixedAt, OldMx, "20261130T120000", P1, [.. history, Seen(P1, "20261130T120000", fixedAt, fixedAt)]));
        Assert.Equal([(PlanTransitionKind.Done, 1)], done.Select(t => (t.Kind, t.Step)));
        Assert.Null(plan.Problem);
    }

    [Fact]
    public void A_policy_that_does_not_cover_what_the_step_says_does_not_complete_it()
    {
        var plan = Plan();
        var wrong = Policy("enforce", Week, Mx1, Mx3); // mx2 left out

        Assert.Empty(Advance(plan, Check(Step1At, OldMx, "20261130T120000", wrong, [Seen(wrong, "20261130T120000", Step1At, Step1At)])));
        Assert.Null(Step(plan, 1).DoneAt);
    }

    [Fact]
    public void An_equivalent_spelling_of_the_step_policy_completes_it()
    {
        var plan = Plan();
        var reordered = Policy("enforce", Week, Mx3, "MX2.example.com.", Mx1);

        Advance(plan, Check(Step1At, OldMx, "mine1", reordered, [Seen(reordered, "mine1", Step1At, Step1At)]));

        Assert.Equal(ChangePlanStepStatus.Done, Step(plan, 1).Status);
        Assert.Equal("mine1", plan.CurrentTxtId);
    }

    [Fact]
    public void Removing_the_old_hosts_while_they_are_still_mx_hosts_is_early_and_alerts()
    {
        var plan = PlanAfterStep1();
        var at = Step1At.AddHours(2);

        var early = Assert.Single(Advance(plan, Check(at, OldMx, "20261130T120000b", P2, [.. HistoryAfterStep1(at), Seen(P2, "20261130T120000b", at, at)])));

        Assert.Equal((PlanTransitionKind.Early, 4, true), (early.Kind, early.Step, early.Alert));
        Assert.Contains("no longer covers mx1.example.com, mx2.example.com", early.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_enforce_switch_waits_for_a_clean_period_that_an_error_restarts()
    {
        var plan = Plan(Baseline(mode: StsMode.Testing), Target(StsMode.Enforce));
        var t1 = Policy("testing", Week, Mx1, Mx2, Mx3);
        var t2 = Policy("testing", Week, Mx3);
        var start = T0.AddDays(-100);
        Advance(plan, Check(Step1At, OldMx, "20261130T120000", t1, [Seen(Policy("testing", Week, Mx1, Mx2), "20260101", start, T0), Seen(t1, "20261130T120000", Step1At, Step1At)]));
        var safe = SafeAt.AddHours(1);
        Advance(plan, Check(safe, OldMx, "20261130T120000", t1, [Seen(t1, "20261130T120000", Step1At, safe)]));
        Advance(plan, Check(safe.AddHours(1), NewMx, "20261130T120000", t1, [Seen(t1, "20261130T120000", Step1At, safe.AddHours(1))]));
        var step4 = safe.AddHours(2);
        List<PolicyObservation> history = [Seen(t2, "20261130T120000b", step4, step4)];
        Advance(plan, Check(step4, NewMx, "20261130T120000b", t2, history));
        Assert.Equal(ChangePlanStepStatus.Done, Step(plan, 4).Status);
        Assert.Equal(step4 + CleanPeriod, Step(plan, 5).EarliestAt);

        var error = step4.AddDays(3);
        Advance(plan, Check(error, NewMx, "20261130T120000b", t2, history, errors: true));
        Assert.Null(Step(plan, 5).EarliestAt);
        var clean = error.AddHours(1);
        Advance(plan, Check(clean, NewMx, "20261130T120000b", t2, history));
        Assert.Equal(clean + CleanPeriod, Step(plan, 5).EarliestAt);

        var ready = Advance(plan, Check(clean + CleanPeriod, NewMx, "20261130T120000b", t2, history));
        Assert.Equal([(PlanTransitionKind.Ready, 5)], ready.Select(t => (t.Kind, t.Step)));
        var enforce = Policy("enforce", Week, Mx3);
        var end = clean + CleanPeriod + TimeSpan.FromHours(1);
        var done = Advance(plan, Check(end, NewMx, "20261130T120000c", enforce, [.. history, Seen(enforce, "20261130T120000c", end, end)]));
        Assert.Equal([PlanTransitionKind.Done, PlanTransitionKind.Completed], done.Select(t => t.Kind));
    }

    [Fact]
    public void Lowering_max_age_waits_for_the_long_caches_and_then_the_switch_waits_only_the_short_time()
    {
        var plan = Plan(target: Target(null, 86_400));
        var low = Policy("enforce", 86_400, Mx1, Mx2);
        var trans = Policy("enforce", 86_400, Mx1, Mx2, Mx3);
        var old = Seen(P0, "20260101", T0.AddDays(-100), T0);
        Advance(plan, Check(Step1At, OldMx, "20261130T120000", low, [old, Seen(low, "20261130T120000", Step1At, Step1At)]));
        Assert.Equal(SafeAt, Step(plan, 2).EarliestAt);

        var afterLong = SafeAt.AddHours(1);
        var ready = Advance(plan, Check(afterLong, OldMx, "20261130T120000", low, [old, Seen(low, "20261130T120000", Step1At, afterLong)]));
        Assert.Equal([(PlanTransitionKind.Done, 2), (PlanTransitionKind.Ready, 3)], ready.Select(t => (t.Kind, t.Step)));

        var published = afterLong.AddHours(1);
        Advance(plan, Check(published, OldMx, "20261130T120000b", trans,
            [old, Seen(low, "20261130T120000", Step1At, afterLong), Seen(trans, "20261130T120000b", published, published)]));
        // The lowered policy was last seen at afterLong: one day later no sender holds a policy without mx3.
        Assert.Equal(afterLong.AddDays(1), Step(plan, 4).EarliestAt);
    }

    [Fact]
    public void A_cancelled_plan_does_not_move()
    {
        var plan = Plan();
        plan.State = ChangePlanStates.Cancelled;

        Assert.Empty(Advance(plan, Check(Step1At, OldMx, "20261130T120000", P1, HistoryAfterStep1(Step1At))));
        Assert.Null(Step(plan, 1).DoneAt);
    }

    [Fact]
    public void A_check_that_could_not_look_up_mx_or_fetch_the_policy_changes_nothing()
    {
        var plan = PlanAfterStep1();
        var at = SafeAt.AddHours(1);

        var transitions = Advance(plan, new PlanCheck(at, new DomainState(null, false, null, null, true), true, HistoryAfterStep1(Step1At.AddHours(1))));

        // Only time passed: the wait is over, the switch is ready; nothing is observed from the failed lookups.
        Assert.Equal([(PlanTransitionKind.Done, 2), (PlanTransitionKind.Ready, 3)], transitions.Select(t => (t.Kind, t.Step)));
        Assert.Equal(ChangePlanStepStatus.Ready, Step(plan, 3).Status);
    }
}
