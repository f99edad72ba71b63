using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorService.Alerts;
using MonitorService.Channels.Rendering;
using MonitorService.Mail;
using MonitorService.Monitoring;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Channels;

/// <summary>
/// Queues a check's alert for each of the team's alert channels, in the check's own transaction (as the alert mail):
/// one delivery per channel per event, each with what that channel's severity filter lets through, all under one event
/// id — the receiver's idempotency key, the same on every attempt.
/// </summary>
public sealed class ChannelOutboxHook(
    OutboxWriter outbox,
    IOptions<AlertOptions> alertOptions,
    TimeProvider time,
    ILogger<ChannelOutboxHook> logger) : ICheckRecordingHook
{
    public async Task OnRecordingAsync(MonitorDbContext db, MonitoredDomain domain, MonitoredCheckResult result, CancellationToken cancellationToken)
    {
        if (result.Events.Count == 0 && result.Incidents.Opened.Count == 0 && result.Incidents.Closed.Count == 0)
            return;
        var channels = await db.AlertChannels.AsNoTracking()
            .Where(c => c.TeamId == domain.TeamId && c.Enabled)
            .OrderBy(c => c.Id)
            .ToListAsync(cancellationToken);
        if (channels.Count == 0)
            return;
        var team = await db.Teams.FindAsync([domain.TeamId], cancellationToken)
            ?? throw new InvalidOperationException($"Domain {domain.Name} has no team.");
        var defaults = alertOptions.Value;
        var teamSettings = TeamMailSettings.For(team, defaults);
        var eventId = Guid.CreateVersion7(time.GetUtcNow());
        // Channels with the same filter see the same alert: composed once per filter.
        foreach (var filter in channels.GroupBy(c => (Incident: Key(c.IncidentSeverities), Drift: Key(c.DriftSeverities))))
        {
            var first = filter.First();
            var settings = teamSettings with
            {
                IncidentSeverities = first.IncidentSeverities?.ToHashSet(StringComparer.Ordinal) ?? teamSettings.IncidentSeverities,
                DriftSeverities = first.DriftSeverities?.ToHashSet(StringComparer.Ordinal) ?? teamSettings.DriftSeverities,
            };
            var content = AlertComposer.Compose(result, settings, defaults.DashboardBaseUrl);
            if (content is null)
                continue;
            var kind = content.IsResolution ? OutboxKinds.Resolution : OutboxKinds.Alert;
            foreach (var channel in filter)
            {
                var payload = ChannelPayloads.Render(channel.Kind, content, eventId, kind);
                outbox.AddChannelDelivery(db, new OutgoingChannelMessage(kind, team.Id, domain.Id, channel.Id, channel.Kind, eventId,
                    AlertMailRenderer.Subject(content), payload));
                logger.ChannelQueued(kind, channel.Kind, channel.Name, eventId, domain.Name, content.Headline);
            }
        }
    }

    private static string Key(List<string>? severities) => severities is null ? "team" : string.Join(",", severities.Order(StringComparer.Ordinal));
}
