using System.Text;
using MonitorService.Mail;
using MonitorService.Monitoring.Drift;
using MonitorService.Storage.Entities;

namespace MonitorService.Plans;

/// <summary>A plan mail: what one check changed in a plan, and the whole plan as it stands.</summary>
public sealed record PlanMailContent(string Subject, string Text, string Html);

/// <summary>
/// Renders the mail a check's plan transitions send to the domain's recipients: an early, harmful step first (as an
/// error), then a stuck step, the end of the plan, a step that became safe, a step done. Host names and ids in it were
/// published by the domain: text goes through <see cref="MailText"/>, HTML is escaped.
/// </summary>
public static class PlanMail
{
    public static PlanMailContent Compose(string domain, Guid domainId, ChangePlan plan, IReadOnlyList<PlanTransition> transitions, DateTimeOffset checkedAt, string? dashboardBaseUrl)
    {
        var subject = MailText.HeaderValue($"[MonitorService] {domain}: {Headline(transitions)}", 300);
        var link = dashboardBaseUrl is { Length: > 0 } b && Uri.TryCreate(new Uri(b.TrimEnd('/') + "/"), $"domains/{domainId}", out var uri) ? uri : null;
        return new PlanMailContent(subject, Text(domain, plan, transitions, checkedAt, subject, link), Html(domain, plan, transitions, checkedAt, subject, link));
    }

    public static string Headline(IReadOnlyList<PlanTransition> transitions)
    {
        if (transitions.FirstOrDefault(t => t.Alert) is { } alert)
            return alert.Action == PlanActions.SwitchMx
                ? $"MX switched before it was safe (change plan step {alert.Step}): senders may refuse mail{(alert.Until is { } u ? $" until {DriftText.Time(u)}" : "")}"
                : $"change plan step {alert.Step} ({alert.Action}) done before it was safe: senders may refuse mail";
        if (transitions.FirstOrDefault(t => t.Kind == PlanTransitionKind.Problem) is { } problem)
            return $"change plan step {problem.Step} is stuck: the new id is missing";
        if (transitions.Any(t => t.Kind == PlanTransitionKind.Completed))
            return "change plan complete";
        if (transitions.FirstOrDefault(t => t.Kind == PlanTransitionKind.Ready) is { } ready)
            return ready.Action == PlanActions.SwitchMx
                ? $"you can switch MX now (change plan step {ready.Step})"
                : $"change plan step {ready.Step} ({ready.Action}) is safe now";
        var first = transitions[0];
        return $"change plan step {first.Step} {(first.Kind == PlanTransitionKind.Early ? "observed early" : "done")}";
    }

    private static string Label(PlanTransition t) => t.Kind switch
    {
        PlanTransitionKind.Early => t.Alert ? "ERROR: EARLY" : "EARLY",
        PlanTransitionKind.Problem => "STUCK",
        PlanTransitionKind.Completed => "COMPLETE",
        PlanTransitionKind.Ready => "SAFE NOW",
        _ => "DONE",
    };

    private static string Text(string domain, ChangePlan plan, IReadOnlyList<PlanTransition> transitions, DateTimeOffset checkedAt, string subject, Uri? link)
    {
        var text = new StringBuilder();
        text.Append(MailText.Plain(subject)).Append("\n\n");
        text.Append($"Checked {domain} at {DriftText.Time(checkedAt)}.\n\nWHAT CHANGED\n");
        foreach (var t in transitions)
            text.Append($"\n[{Label(t)}] {MailText.Plain(t.Message)}\n");
        foreach (var step in ReadySteps(plan, transitions))
            text.Append($"\nSTEP {step.N} ({step.Action}):\n\n").Append(MailText.Plain(step.Text)).Append('\n');
        text.Append("\nTHE PLAN\n\n");
        foreach (var step in plan.Steps.OrderBy(s => s.N))
            text.Append($"{step.N}. {step.Action}: {Status(step)}\n");
        if (link is not null)
            text.Append($"\nDashboard: {link.AbsoluteUri}\n");
        text.Append("\n-- \nMonitorService, MTA-STS monitoring. You receive this as a recipient of alerts for ").Append(domain).Append(".\n");
        return text.ToString();
    }

    private static string Html(string domain, ChangePlan plan, IReadOnlyList<PlanTransition> transitions, DateTimeOffset checkedAt, string subject, Uri? link)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(MailText.Html(subject)).Append("</title></head>");
        html.Append("<body style=\"font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#222;\">");
        html.Append("<h2 style=\"font-size:18px;\">").Append(MailText.Html(subject)).Append("</h2>");
        html.Append("<p>Checked ").Append(MailText.Html(domain)).Append(" at ").Append(MailText.Html(DriftText.Time(checkedAt))).Append(".</p>");
        foreach (var t in transitions)
        {
            var colour = t.Alert ? "#b00020" : t.Kind is PlanTransitionKind.Problem or PlanTransitionKind.Early ? "#b26a00" : "#2e7d32";
            html.Append("<div style=\"border-left:4px solid ").Append(colour).Append(";padding:4px 10px;margin:10px 0;\"><b style=\"color:")
                .Append(colour).Append(";\">").Append(MailText.Html(Label(t))).Append("</b> ").Append(MailText.Html(t.Message)).Append("</div>");
        }
        foreach (var step in ReadySteps(plan, transitions))
            html.Append("<h3 style=\"font-size:16px;\">Step ").Append(step.N).Append(" (").Append(MailText.Html(step.Action)).Append(")</h3>")
                .Append("<pre style=\"background:#f4f4f4;padding:8px;white-space:pre-wrap;word-break:break-all;\">")
                .Append(MailText.Html(MailText.Plain(step.Text))).Append("</pre>");
        html.Append("<h3 style=\"font-size:16px;\">The plan</h3><ol>");
        foreach (var step in plan.Steps.OrderBy(s => s.N))
            html.Append("<li><code>").Append(MailText.Html(step.Action)).Append("</code>: ").Append(MailText.Html(Status(step))).Append("</li>");
        html.Append("</ol>");
        if (link is not null)
            html.Append("<p><a href=\"").Append(MailText.Html(link.AbsoluteUri)).Append("\">Open ").Append(MailText.Html(domain)).Append(" in the dashboard</a></p>");
        html.Append("<p style=\"color:#777;font-size:12px;\">MonitorService, MTA-STS monitoring. You receive this as a recipient of alerts for ")
            .Append(MailText.Html(domain)).Append(".</p></body></html>");
        return html.ToString();
    }

    /// <summary>The steps that became safe in this check: their exact text goes into the mail.</summary>
    private static IEnumerable<ChangePlanStep> ReadySteps(ChangePlan plan, IReadOnlyList<PlanTransition> transitions) =>
        transitions.Where(t => t.Kind == PlanTransitionKind.Ready).Select(t => plan.Steps.First(s => s.N == t.Step));

    public static string Status(ChangePlanStep step) => step.Status switch
    {
        ChangePlanStepStatus.Done => $"done {DriftText.Time(step.DoneAt!.Value)}",
        ChangePlanStepStatus.Early => step.DoneAt is { } at ? $"early, done {DriftText.Time(at)}" : "early",
        ChangePlanStepStatus.Ready => "ready now",
        _ => step.EarliestAt is { } e ? $"pending, not before {DriftText.Time(e)}" : "pending",
    };
}
