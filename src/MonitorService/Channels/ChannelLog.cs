namespace MonitorService.Channels;

/// <summary>The log lines of alert channels, source-generated: queuing runs inside checks.</summary>
internal static partial class ChannelLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Queued {Kind} for the {ChannelKind} channel {Channel} (event {EventId}) about {Domain}: {Headline}")]
    public static partial void ChannelQueued(this ILogger logger, string kind, string channelKind, string channel, Guid eventId, string domain, string headline);

    [LoggerMessage(Level = LogLevel.Information, Message = "Test of the {ChannelKind} channel {Channel} of team {TeamId}: {Outcome} ({Detail})")]
    public static partial void Tested(this ILogger logger, string channelKind, string channel, Guid teamId, string outcome, string? detail);
}
