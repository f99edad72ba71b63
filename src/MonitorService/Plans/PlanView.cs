using MonitorService.Storage.Entities;

namespace MonitorService.Plans;

/// <summary>
/// A plan as the API and <c>domains plan-status --format json</c> show it:
/// <c>{"domain", "state", "target": {"mx", "mode", "maxAge"}, "steps": [{"n", "action", "text", "earliestAt", "doneAt", "status"}]}</c>.
/// </summary>
public sealed record PlanView(string Domain, string State, PlanTargetView Target, IReadOnlyList<PlanStepView> Steps)
{
    public static PlanView Of(string domain, ChangePlan plan) => new(
        domain,
        plan.State,
        new PlanTargetView(plan.TargetMx.Zip(plan.TargetPreferences).OrderBy(m => m.Second).Select(m => m.First).ToList(), plan.TargetMode, plan.TargetMaxAge),
        plan.Steps.OrderBy(s => s.N).Select(s => new PlanStepView(s.N, s.Action, s.Text, s.EarliestAt, s.DoneAt, s.Status)).ToList());
}

/// <param name="Mx">The MX hosts the domain moves to, most preferred first.</param>
public sealed record PlanTargetView(IReadOnlyList<string> Mx, string Mode, long MaxAge);

/// <param name="Status">pending, ready, done or early.</param>
public sealed record PlanStepView(int N, string Action, string Text, DateTimeOffset? EarliestAt, DateTimeOffset? DoneAt, string Status);
