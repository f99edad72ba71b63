using Microsoft.Extensions.Options;
using MonitorService.Mail;
using MonitorService.Monitoring;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Alerts;

/// <summary>
/// Queues a check's alert or resolution mail in the outbox inside the check's own transaction: the mail exists
/// exactly when the incidents and drift events that caused it do.
/// </summary>
public sealed class AlertOutboxHook(
    OutboxWriter outbox,
    IOptions<AlertOptions> options,
    ILogger<AlertOutboxHook> logger) : ICheckRecordingHook
{
    public async Task OnRecordingAsync(MonitorDbContext db, MonitoredDomain domain, MonitoredCheckResult result, CancellationToken cancellationToken)
    {
        if (result.Events.Count == 0 && result.Incidents.Opened.Count == 0 && result.Incidents.Closed.Count == 0)
            return;
        var team = await db.Teams.FindAsync([domain.TeamId], cancellationToken)
            ?? throw new InvalidOperationException($"Domain {domain.Name} has no team.");
        var content = AlertComposer.Compose(result, TeamMailSettings.For(team, options.Value), options.Value.DashboardBaseUrl);
        if (content is null)
            return;
        if (domain.Recipients.Count == 0)
        {
            logger.NoRecipients(domain.Name, content.Headline);
            return;
        }
        var kind = content.IsResolution ? OutboxKinds.Resolution : OutboxKinds.Alert;
        var message = outbox.Add(db, new OutgoingMail(kind, team.Id, domain.Id, domain.Recipients,
            AlertMailRenderer.Subject(content), AlertMailRenderer.Text(content), AlertMailRenderer.Html(content)));
        logger.Queued(kind, message.MessageId, domain.Name, domain.Recipients.Count, content.Headline);
    }
}
