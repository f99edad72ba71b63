namespace MonitorService.Web.Api;

/// <param name="Url">Scheme, host and port only: the rest of a channel URL is a credential and is never shown again.</param>
/// <param name="IncidentThreshold">"error", "warning", or "team" (the team's mail setting).</param>
public sealed record ChannelResponse(
    Guid Id, string Name, string Kind, string Url, string IncidentThreshold, string DriftThreshold, bool Enabled,
    DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? LastTestAt);

/// <param name="Secret">A webhook's signing secret: in this response only (stored encrypted); null for Slack and Teams.</param>
public sealed record ChannelCreatedResponse(ChannelResponse Channel, string? Secret);

/// <param name="Kind">webhook, slack or teams (on creation; it cannot change).</param>
/// <param name="Url">https:// URL of the receiver: a Slack incoming webhook, a Teams workflow webhook, or your endpoint.</param>
/// <param name="IncidentThreshold">"error", "warning" or "team" (default: the team's setting, as its mail).</param>
/// <param name="DriftThreshold">"error", "warning" or "team".</param>
public sealed record ChannelRequest(string? Name, string? Kind, string? Url, string? IncidentThreshold, string? DriftThreshold, bool? Enabled);

/// <param name="Outcome">sent, transient or permanent (a test is not retried).</param>
/// <param name="Detail">The receiver's answer or the error.</param>
public sealed record ChannelTestResponse(string Outcome, string? Detail, string Destination);

public sealed record ChannelSecretResponse(Guid Id, string Secret);
