using Microsoft.Extensions.Options;
using MonitorService.Alerts;
using MonitorService.Monitoring;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Channels;

/// <summary>
/// Queues a check's alert for each of the team's alert channels, in the check's own transaction (as the alert mail),
/// through <see cref="ChannelAlertQueue"/>: one delivery per channel per event, each with what that channel's severity
/// filter lets through, all under one event id.
/// </summary>
public sealed class ChannelOutboxHook(ChannelAlertQueue queue, IOptions<AlertOptions> alertOptions) : ICheckRecordingHook
{
    public async Task OnRecordingAsync(MonitorDbContext db, MonitoredDomain domain, MonitoredCheckResult result, CancellationToken cancellationToken)
    {
        if (result.Events.Count == 0 && result.Incidents.Opened.Count == 0 && result.Incidents.Closed.Count == 0)
            return;
        var channels = await ChannelAlertQueue.EnabledChannelsAsync(db, domain.TeamId, cancellationToken);
        if (channels.Count == 0)
            return;
        var team = await db.Teams.FindAsync([domain.TeamId], cancellationToken)
            ?? throw new InvalidOperationException($"Domain {domain.Name} has no team.");
        var defaults = alertOptions.Value;
        queue.Queue(db, team.Id, domain.Id, channels, TeamMailSettings.For(team, defaults),
            settings => AlertComposer.Compose(result, settings, defaults.DashboardBaseUrl));
    }
}
