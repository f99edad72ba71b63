using Microsoft.EntityFrameworkCore;
using MonitorService.Alerts;
using MonitorService.Channels.Rendering;
using MonitorService.Mail;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Channels;

/// <summary>
/// Queues one alert (or resolution) for each of a team's alert channels through the caller's context, so it commits
/// with the caller's transaction (as the alert mail): one delivery per channel, each with what that channel's severity
/// filter lets through, all under one event id — the receiver's idempotency key, the same on every attempt. Used by
/// every kind of alert (checks, TLS-RPT reports), so that all honour the channels' filters alike.
/// </summary>
public sealed class ChannelAlertQueue(OutboxWriter outbox, TimeProvider time, ILogger<ChannelAlertQueue> logger)
{
    /// <summary>The team's enabled channels, in a stable order.</summary>
    public static Task<List<AlertChannel>> EnabledChannelsAsync(MonitorDbContext db, Guid teamId, CancellationToken ct) =>
        db.AlertChannels.AsNoTracking()
            .Where(c => c.TeamId == teamId && c.Enabled)
            .OrderBy(c => c.Id)
            .ToListAsync(ct);

    /// <summary>What a channel filters with: its own severities where it has them, the team's (as its mail) elsewhere.</summary>
    public static TeamMailSettings SettingsFor(AlertChannel channel, TeamMailSettings team) => team with
    {
        IncidentSeverities = channel.IncidentSeverities?.ToHashSet(StringComparer.Ordinal) ?? team.IncidentSeverities,
        DriftSeverities = channel.DriftSeverities?.ToHashSet(StringComparer.Ordinal) ?? team.DriftSeverities,
    };

    /// <param name="compose">What the alert says under a channel's settings; null when nothing in it passes them.</param>
    /// <returns>How many deliveries were queued (the caller saves them).</returns>
    public int Queue(MonitorDbContext db, Guid teamId, Guid? domainId, IReadOnlyList<AlertChannel> channels, TeamMailSettings teamSettings,
        Func<TeamMailSettings, AlertContent?> compose)
    {
        var eventId = Guid.CreateVersion7(time.GetUtcNow());
        var queued = 0;
        // Channels with the same filter see the same alert: composed once per filter.
        foreach (var filter in channels.GroupBy(c => (Incident: Key(c.IncidentSeverities), Drift: Key(c.DriftSeverities))))
        {
            var content = compose(SettingsFor(filter.First(), teamSettings));
            if (content is null)
                continue;
            var kind = content.IsResolution ? OutboxKinds.Resolution : OutboxKinds.Alert;
            foreach (var channel in filter)
            {
                var payload = ChannelPayloads.Render(channel.Kind, content, eventId, kind);
                outbox.AddChannelDelivery(db, new OutgoingChannelMessage(kind, teamId, domainId, channel.Id, channel.Kind, eventId,
                    AlertMailRenderer.Subject(content), payload));
                logger.ChannelQueued(kind, channel.Kind, channel.Name, eventId, content.Domain, content.Headline);
                queued++;
            }
        }
        return queued;
    }

    private static string Key(List<string>? severities) => severities is null ? "team" : string.Join(",", severities.Order(StringComparer.Ordinal));
}
