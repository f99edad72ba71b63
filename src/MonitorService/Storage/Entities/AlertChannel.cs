namespace MonitorService.Storage.Entities;

/// <summary>
/// A team's alert channel besides mail: a generic webhook, a Slack incoming webhook or a Microsoft Teams workflow
/// webhook. Its URL (Slack's and Teams' carry their credential in the path) and the webhook signing secret are stored
/// only as data-protection payloads (see Channels/ChannelSecrets), never in the clear.
/// </summary>
public sealed class AlertChannel
{
    public Guid Id { get; set; }
    public Guid TeamId { get; set; }
    public required string Name { get; set; }
    /// <summary>One of <see cref="AlertChannelKinds"/>.</summary>
    public required string Kind { get; set; }
    /// <summary>The URL, encrypted with the data-protection key ring.</summary>
    public required string ProtectedUrl { get; set; }
    /// <summary>What may be shown of the URL: its scheme, host and port (paths and queries carry credentials).</summary>
    public required string UrlDisplay { get; set; }
    /// <summary>The HMAC signing secret of a generic webhook, encrypted with the key ring; null for Slack and Teams.</summary>
    public string? ProtectedSecret { get; set; }
    /// <summary>Incident severities this channel alerts on; null = the team's (as its mail).</summary>
    public List<string>? IncidentSeverities { get; set; }
    /// <summary>Drift severities this channel alerts on; null = the team's (as its mail).</summary>
    public List<string>? DriftSeverities { get; set; }
    public bool Enabled { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Who created it: a user's e-mail address or an API token's name.</summary>
    public required string CreatedBy { get; set; }
    /// <summary>When "send a test" last went out: tests are spaced per channel, across the cluster.</summary>
    public DateTimeOffset? LastTestAt { get; set; }
}

public static class AlertChannelKinds
{
    public const string Webhook = "webhook";
    public const string Slack = "slack";
    public const string Teams = "teams";

    public static readonly string[] All = [Webhook, Slack, Teams];

    public static string Label(string kind) => kind switch
    {
        Webhook => "Webhook",
        Slack => "Slack",
        Teams => "Microsoft Teams",
        _ => kind,
    };
}
