using MonitorService.Checks.Analysis;
using MonitorService.Checks.Model;
using MonitorService.Checks.Parsing;
using MonitorService.Monitoring.Drift;
using MonitorService.Storage.Entities;

namespace MonitorService.Plans;

/// <summary>
/// Advances an active plan by one check: a step is done when the check observes it, the next becomes ready when its
/// earliest time has come, a wait completes when the sender-cache clock says so, and a step observed before it was
/// safe is marked early (switching MX, or removing hosts that are still MX hosts, raise an alert). Pure: it changes
/// the plan object and says what changed; the caller stores both in the check's transaction, which is what makes each
/// transition happen once however many nodes check the domain.
/// </summary>
public static class PlanSupervisor
{
    public static IReadOnlyList<PlanTransition> Advance(ChangePlan plan, string domain, PlanCheck check, TimeSpan cleanPeriod)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(check);
        if (plan.State != ChangePlanStates.Active)
            return [];
        var transitions = new List<PlanTransition>();
        var now = check.Now;
        var before = true; // every earlier step is complete
        // When the next step may start as far as the earlier ones go: known once they are complete, or when only a
        // wait whose end the clock already knows is left (so the MX switch shows its safe time while it is pending).
        DateTimeOffset? from = plan.CreatedAt;
        foreach (var step in plan.Steps.OrderBy(s => s.N))
        {
            if (step.DoneAt is null)
            {
                if (PlanActions.Waits(step.Action))
                    AdvanceWait(plan, step, check, before, from ?? now, transitions);
                else
                    AdvanceAction(plan, domain, step, check, before, from, cleanPeriod, transitions);
            }
            if (step.DoneAt is null)
            {
                from = before && PlanActions.Waits(step.Action) ? step.EarliestAt : null;
                before = false;
            }
            else if (before)
            {
                from = PlanActions.Waits(step.Action) ? step.EarliestAt ?? step.DoneAt.Value : step.DoneAt.Value;
            }
        }
        UpdateProblem(plan, domain, check, transitions);
        if (plan.Steps.All(s => s.DoneAt is not null))
        {
            plan.State = ChangePlanStates.Done;
            plan.EndedAt = now;
            plan.Problem = null;
            plan.ProblemKey = null;
            transitions.Add(new PlanTransition(PlanTransitionKind.Completed, plan.Steps.Count, "", $"Every step of the change plan for {domain} is done: the plan is complete."));
        }
        return transitions;
    }

    private static void AdvanceWait(ChangePlan plan, ChangePlanStep step, PlanCheck check, bool before, DateTimeOffset from, List<PlanTransition> transitions)
    {
        if (!before)
            return;
        // Recomputed on every check until it is over: a policy served again (or still) moves its window on.
        var until = WaitUntil(plan, step, check.History);
        var earliest = until is { } u && u > from ? u : from;
        if (step.EarliestAt != earliest)
        {
            step.EarliestAt = earliest;
            step.Text = WaitText(plan, step, earliest);
        }
        if (earliest > check.Now)
            return;
        step.Status = ChangePlanStepStatus.Done;
        step.DoneAt = check.Now;
        transitions.Add(new PlanTransition(PlanTransitionKind.Done, step.N, step.Action,
            step.Action == PlanActions.WaitForSenderCaches
                ? $"Step {step.N}: since {DriftText.Time(earliest)} no sender can hold an earlier policy that does not cover {DriftText.Hosts(Added(plan))}."
                : $"Step {step.N}: since {DriftText.Time(earliest)} no sender can hold a policy with a max_age longer than {PlanTexts.Seconds(step.PolicyMaxAge ?? 0)}."));
    }

    private static void AdvanceAction(ChangePlan plan, string domain, ChangePlanStep step, PlanCheck check, bool before, DateTimeOffset? from, TimeSpan cleanPeriod,
        List<PlanTransition> transitions)
    {
        var now = check.Now;
        if (step.Action == PlanActions.SwitchToEnforce)
        {
            // The clean period counts checks from the one that found the step before complete; an error restarts it.
            if (before)
                plan.CleanSince = check.HasErrors ? null : plan.CleanSince ?? now;
            step.EarliestAt = before && plan.CleanSince is { } clean ? clean + cleanPeriod : null;
        }
        else
        {
            step.EarliestAt = from;
        }
        var ready = before && step.EarliestAt is { } earliest && earliest <= now;
        var seen = Observe(plan, step, check);
        if (seen == Sighting.Complete)
        {
            var early = !ready && (step.Status == ChangePlanStepStatus.Early || HarmfulIfEarly(step.Action) || step.Action == PlanActions.SwitchToEnforce);
            if (early && step.Status != ChangePlanStepStatus.Early)
                transitions.Add(EarlyTransition(plan, domain, step, check));
            else
                transitions.Add(new PlanTransition(PlanTransitionKind.Done, step.N, step.Action,
                    $"Step {step.N} ({step.Action}) was observed at {DriftText.Time(now)}{(step.Status == ChangePlanStepStatus.Early ? " (it had started before it was safe)" : "")}."));
            step.Status = early ? ChangePlanStepStatus.Early : ChangePlanStepStatus.Done;
            step.DoneAt = now;
            if (PlanActions.Publishes(step.Action))
                plan.CurrentTxtId = check.State.TxtId;
            return;
        }
        if (seen == Sighting.Started && !ready && step.Status != ChangePlanStepStatus.Early)
        {
            transitions.Add(EarlyTransition(plan, domain, step, check));
            step.Status = ChangePlanStepStatus.Early;
            return;
        }
        if (step.Status == ChangePlanStepStatus.Early)
            return;
        if (ready && step.Status == ChangePlanStepStatus.Pending)
        {
            step.Status = ChangePlanStepStatus.Ready;
            transitions.Add(new PlanTransition(PlanTransitionKind.Ready, step.N, step.Action, ReadyMessage(domain, step)));
        }
        else if (!ready && step.Status == ChangePlanStepStatus.Ready)
        {
            step.Status = ChangePlanStepStatus.Pending; // a check with errors restarted the clean period
        }
    }

    private enum Sighting { None, Started, Complete }

    private static Sighting Observe(ChangePlan plan, ChangePlanStep step, PlanCheck check)
    {
        if (step.Action == PlanActions.SwitchMx)
        {
            if (check.State.MxHosts is not { } live)
                return Sighting.None;
            var hosts = live.ToHashSet();
            if (hosts.SetEquals(plan.TargetMx))
                return Sighting.Complete;
            return Added(plan).Any(hosts.Contains) ? Sighting.Started : Sighting.None;
        }
        return PolicyServed(plan, step, check) && check.State is { TxtKnown: true, TxtId: { } id } && id != plan.CurrentTxtId
            ? Sighting.Complete
            : Sighting.None;
    }

    /// <summary>
    /// Whether the policy this check fetched is the step's: same mode, same max_age (at most it, for lowering), and it
    /// covers exactly the same of the old and new hosts as the step's patterns (so a user's equivalent spelling counts).
    /// </summary>
    private static bool PolicyServed(ChangePlan plan, ChangePlanStep step, PlanCheck check)
    {
        if (check.State.Policy is not { IsUsable: true } policy || step.PolicyMode is null || step.PolicyMaxAge is not { } maxAge)
            return false;
        if (policy.Mode is not { } mode || StsPolicy.ModeName(mode) != step.PolicyMode)
            return false;
        if (step.Action == PlanActions.LowerMaxAge ? policy.MaxAge > maxAge : policy.MaxAge != maxAge)
            return false;
        var hosts = plan.OldMx.Union(plan.TargetMx).ToList();
        return hosts.All(h => Covers(policy.Mx, h) == Covers(step.PolicyMx, h));
    }

    private static bool Covers(IEnumerable<string> patterns, string host) => MxPatternMatcher.FindCoveringPattern(patterns, host) is not null;

    private static bool HarmfulIfEarly(string action) => action is PlanActions.SwitchMx or PlanActions.RemoveOldHosts;

    /// <summary>New MX hosts: in the target, not in the MX set the plan started from.</summary>
    private static List<string> Added(ChangePlan plan) => plan.TargetMx.Where(h => !plan.OldMx.Contains(h)).ToList();

    /// <summary>
    /// When the wait is over by the sender-cache clock: the latest (last seen + max_age) of the policies it waits for —
    /// those that apply and leave a new host uncovered, or those with a max_age above the step's. Null when none was seen.
    /// </summary>
    private static DateTimeOffset? WaitUntil(ChangePlan plan, ChangePlanStep step, IReadOnlyList<PolicyObservation> history)
    {
        var added = Added(plan);
        var relevant = step.Action == PlanActions.WaitForSenderCaches
            ? history.Where(o => o.Policy.Applies && added.Any(h => !Covers(o.Policy.Mx, h)))
            : history.Where(o => o.Policy.Applies && o.Policy.MaxAge > step.PolicyMaxAge);
        return relevant.Select(SenderCacheClock.CachedUntil).Max();
    }

    private static string WaitText(ChangePlan plan, ChangePlanStep step, DateTimeOffset until)
    {
        if (step.Action == PlanActions.WaitForMaxAge)
            return PlanTexts.WaitForMaxAge(plan.OldMaxAge, step.PolicyMaxAge ?? plan.OldMaxAge, until);
        var published = plan.Steps.Where(s => s.N < step.N && s.PolicyMaxAge is not null && PlanActions.Publishes(s.Action)).Select(s => s.PolicyMaxAge!.Value);
        return PlanTexts.WaitForSenderCaches(Added(plan), published.LastOrDefault(plan.OldMaxAge), until);
    }

    private static string ReadyMessage(string domain, ChangePlanStep step) => step.Action switch
    {
        PlanActions.SwitchMx => $"Step {step.N}: you can switch the MX records of {domain} now: every policy senders may hold covers the new hosts.",
        PlanActions.SwitchToEnforce => $"Step {step.N}: the clean period is over; you can switch the policy of {domain} to enforce now.",
        _ => $"Step {step.N} ({step.Action}) can be done now.",
    };

    private static PlanTransition EarlyTransition(ChangePlan plan, string domain, ChangePlanStep step, PlanCheck check)
    {
        switch (step.Action)
        {
            case PlanActions.SwitchMx:
                {
                    var present = Added(plan).Where(h => check.State.MxHosts?.Contains(h) == true).ToList();
                    var windows = SenderCacheClock.OpenWindows(check.History, check.Now)
                        .Where(w => w.Observation.Policy.Applies && present.Any(h => !Covers(w.Observation.Policy.Mx, h)))
                        .ToList();
                    var until = windows.Count == 0 ? (DateTimeOffset?)null : windows.Max(w => w.Until);
                    var exposure = windows.Count == 0
                        ? "No sender's cached policy is known to leave them uncovered, but the plan's earlier steps were not observed."
                        : string.Join(" ", windows.Select(w => Exposure(w, present)));
                    return new PlanTransition(PlanTransitionKind.Early, step.N, step.Action,
                        $"Step {step.N}: the MX records of {domain} were switched to {DriftText.Hosts(present)} before it was safe " +
                        $"({(step.EarliestAt is { } e ? $"the earliest safe time is {DriftText.Time(e)}" : "the steps before it are not done")}). {exposure} " +
                        (until is { } end
                            ? $"Until {DriftText.Time(end)} keep the old hosts in MX and accepting mail (or switch back), and complete the steps before this one."
                            : "Complete the steps before this one."),
                        Alert: true, Until: until);
                }
            case PlanActions.RemoveOldHosts:
                {
                    var still = plan.OldMx.Where(h => check.State.MxHosts?.Contains(h) == true && !Covers(step.PolicyMx, h)).ToList();
                    return new PlanTransition(PlanTransitionKind.Early, step.N, step.Action,
                        $"Step {step.N}: the policy of {domain} no longer covers {DriftText.Hosts(still)} although the MX records still point there: " +
                        "enforcing senders that fetch it refuse mail to those hosts. Publish the policy of the step before again (with a new id) " +
                        "until the MX records are switched.",
                        Alert: true);
                }
            default:
                return new PlanTransition(PlanTransitionKind.Early, step.N, step.Action,
                    $"Step {step.N} ({step.Action}) was observed at {DriftText.Time(check.Now)}, before it was due" +
                    (step.Action == PlanActions.SwitchToEnforce ? " (the clean period of checks without errors had not passed)." : "."));
        }
    }

    private static string Exposure(CachedPolicyWindow window, IReadOnlyList<string> hosts)
    {
        var o = window.Observation;
        var uncovered = hosts.Where(h => !Covers(o.Policy.Mx, h)).ToList();
        var refuse = o.Policy.Enforces ? "refuse mail to" : "report failures for";
        return $"Senders that fetched the policy served under id {DriftText.Id(o.TxtId)} (mode {DriftText.Mode(o.Policy.Mode)}, mx: " +
               $"{DriftText.Hosts(o.Policy.Mx)}; last seen {DriftText.Time(o.LastSeen)}, max_age {o.Policy.MaxAge} s) may apply it until " +
               $"{DriftText.Time(window.Until)} and {refuse} {DriftText.Hosts(uncovered)}.";
    }

    /// <summary>
    /// The forgotten new id (caught at the step that publishes the policy): the step's policy is served, but the
    /// _mta-sts record still has the id senders already know, so they never refetch. Reported once per step.
    /// </summary>
    private static void UpdateProblem(ChangePlan plan, string domain, PlanCheck check, List<PlanTransition> transitions)
    {
        var stuck = plan.Steps.OrderBy(s => s.N).FirstOrDefault(s => s.DoneAt is null && PlanActions.Publishes(s.Action)
            && PolicyServed(plan, s, check) && check.State is { TxtKnown: true } state && state.TxtId == plan.CurrentTxtId);
        if (stuck is null)
        {
            plan.Problem = null;
            plan.ProblemKey = null;
            return;
        }
        var key = $"same-id:{stuck.N}";
        plan.Problem = $"Step {stuck.N}: the policy of this step is served, but _mta-sts.{domain} still has the id {DriftText.Id(plan.CurrentTxtId)}. " +
                       "Senders that hold the earlier policy do not fetch the new one until the id changes (RFC 8461 §3.1). Publish: " +
                       NewPolicyId.TxtRecord(domain, stuck.TxtId ?? NewPolicyId.At(check.Now, plan.CurrentTxtId));
        if (plan.ProblemKey == key)
            return;
        plan.ProblemKey = key;
        transitions.Add(new PlanTransition(PlanTransitionKind.Problem, stuck.N, stuck.Action, plan.Problem));
    }
}
