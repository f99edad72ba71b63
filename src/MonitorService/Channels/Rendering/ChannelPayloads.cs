using MonitorService.Alerts;
using MonitorService.Storage.Entities;

namespace MonitorService.Channels.Rendering;

/// <summary>The request body an alert becomes for a kind of channel, rendered once when it is queued.</summary>
public static class ChannelPayloads
{
    /// <param name="type">For the generic webhook: "alert", "resolution" or "test".</param>
    public static string Render(string kind, AlertContent content, Guid eventId, string type) => kind switch
    {
        AlertChannelKinds.Slack => SlackMessage.Render(content),
        AlertChannelKinds.Teams => TeamsCard.Render(content),
        AlertChannelKinds.Webhook => WebhookPayload.Render(content, eventId, type),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a channel kind"),
    };

    /// <summary>
    /// What "send a test" sends: an alert about the reserved name example.com (RFC 2606), in the shape real alerts
    /// have, saying what it is and which channel of which team sent it.
    /// </summary>
    public static AlertContent TestContent(AlertChannel channel, string teamName, DateTimeOffset now, string? dashboardBaseUrl) => new(
        "example.com",
        $"test of the alert channel \"{channel.Name}\"",
        now,
        [new AlertItem("test", "CHANNEL_TEST", "info", null,
            $"This is a test from MonitorService: alerts of team {teamName} reach this {AlertChannelKinds.Label(channel.Kind)} channel like this. No domain has a problem.",
            "Nothing to fix.", null)],
        [],
        [],
        string.IsNullOrWhiteSpace(dashboardBaseUrl) ? null : new Uri($"{dashboardBaseUrl.TrimEnd('/')}/teams/{channel.TeamId}"));
}
