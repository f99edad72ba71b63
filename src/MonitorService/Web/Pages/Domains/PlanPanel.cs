using MonitorService.Plans;
using MonitorService.Storage.Entities;
using MonitorService.TlsRpt.Views;

namespace MonitorService.Web.Pages.Domains;

/// <summary>The domain page's "Change MX safely" card: the active plan (or the form to start one) and earlier plans.</summary>
public sealed record PlanPanel(Guid DomainId, ChangePlan? Active, IReadOnlyList<ChangePlan> Ended)
{
    /// <summary>What senders reported while the active plan ran (from the page's "What senders saw" reads); null without an active plan.</summary>
    public PlanSenders? Senders { get; init; }

    public static PlanPanel Of(Guid domainId, IReadOnlyList<ChangePlan> history) =>
        new(domainId, history.FirstOrDefault(p => p.State == ChangePlanStates.Active), history.Where(p => p.State != ChangePlanStates.Active).ToList());

    /// <summary>A step's badge colour; the status is always written out too.</summary>
    public static string Tone(string status) => status switch
    {
        ChangePlanStepStatus.Done => "tone-ok",
        ChangePlanStepStatus.Ready => "tone-info",
        ChangePlanStepStatus.Early => "tone-error",
        _ => "tone-pending",
    };

    public static string When(ChangePlanStep step) => step.Status switch
    {
        ChangePlanStepStatus.Done or ChangePlanStepStatus.Early when step.DoneAt is { } done => $"done {Display.Time(done)}",
        _ => step.EarliestAt is { } at ? $"not before {Display.Time(at)}" : "",
    };

    public static string Target(ChangePlan plan) =>
        $"MX {string.Join(", ", plan.TargetMx)} · mode {plan.TargetMode} · max_age {PlanTexts.Seconds(plan.TargetMaxAge)}";
}
