using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorService.Checks.Model;
using MonitorService.Mail;
using MonitorService.Monitoring;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Plans;

/// <summary>
/// Advances the domain's active plan with every recorded check, inside the check's transaction and under its
/// per-domain lock: a step moves once, and its mail is queued in the outbox with it, whichever node runs the check and
/// however many do. A domain without an active plan costs one indexed lookup.
/// </summary>
public sealed class ChangePlanHook(OutboxWriter outbox, IOptions<PlanOptions> options, ILogger<ChangePlanHook> logger) : ICheckRecordingHook
{
    public async Task OnRecordingAsync(MonitorDbContext db, MonitoredDomain domain, MonitoredCheckResult result, CancellationToken cancellationToken)
    {
        var plan = await db.ChangePlans.Include(p => p.Steps)
            .FirstOrDefaultAsync(p => p.DomainId == domain.Id && p.State == ChangePlanStates.Active, cancellationToken);
        if (plan is null)
            return;
        var now = result.Report.CheckedAt;
        // The recorder has stored this check's observation: the history is the sender-cache clock's as of now.
        var history = await DomainHistoryReader.PolicyHistoryAsync(db, domain.Id, new OpenObservationEnd(now, Math.Max(domain.CurrentObservationChecks, 1)), cancellationToken);
        var hasErrors = result.Report.HasErrors || result.Events.Any(e => e.Severity == Severity.Error);
        var check = new PlanCheck(now, CheckSnapshot.Of(result.Report).ToDomainState(), hasErrors, history);
        var transitions = PlanSupervisor.Advance(plan, domain.Name, check, options.Value.CleanPeriod);
        if (transitions.Count == 0)
            return;
        foreach (var t in transitions)
        {
            if (t.Alert)
                logger.Early(plan.Id, domain.Name, t.Step);
            else
                logger.Transition(plan.Id, domain.Name, t.Step, t.Kind);
        }
        var mail = PlanMail.Compose(domain.Name, domain.Id, plan, transitions, now, options.Value.DashboardBaseUrl);
        if (domain.Recipients.Count == 0)
        {
            logger.NoRecipients(domain.Name, mail.Subject);
            return;
        }
        var message = outbox.Add(db, new OutgoingMail(OutboxKinds.Alert, domain.TeamId, domain.Id, domain.Recipients, mail.Subject, mail.Text, mail.Html));
        logger.Queued(message.MessageId, domain.Name, domain.Recipients.Count, mail.Subject);
    }
}
