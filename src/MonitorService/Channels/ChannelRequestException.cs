namespace MonitorService.Channels;

/// <summary>What kind of channel request was refused; callers map it (API status, page message).</summary>
public enum ChannelError
{
    /// <summary>A value is malformed; <see cref="ChannelRequestException.Field"/> names it.</summary>
    Invalid,
    /// <summary>The team already has a channel of that name.</summary>
    Duplicate,
    /// <summary>The team has as many channels as Alerts:Webhooks:MaxPerTeam allows.</summary>
    QuotaReached,
}

/// <summary>A refused channel request, with a message written for the person who made it.</summary>
public sealed class ChannelRequestException(ChannelError kind, string message, string? field = null) : Exception(message)
{
    public ChannelError Kind { get; } = kind;

    /// <summary>The request field at fault: "name", "kind", "url", "incidentThreshold" or "driftThreshold".</summary>
    public string? Field { get; } = field;
}
