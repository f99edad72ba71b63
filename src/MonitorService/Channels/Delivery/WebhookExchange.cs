namespace MonitorService.Channels.Delivery;

/// <summary>How one POST to a channel went: the receiver's answer, or why there was none.</summary>
/// <param name="Status">The HTTP status; null when nothing answered or the target was refused.</param>
/// <param name="Body">The start of the response body (read up to AlertChannelOptions.MaxResponseBytes), for the log.</param>
/// <param name="Location">A redirect's target as sent (never followed).</param>
/// <param name="Blocked">The target is not one alerts are sent to (the address guard or the URL rules refused it).</param>
/// <param name="Error">Why nothing answered, or why the target was refused.</param>
public sealed record WebhookExchange(int? Status, string? Reason, string Body, TimeSpan? RetryAfter, string? Location, bool Blocked, string? Error)
{
    public static WebhookExchange Refused(string why) => new(null, null, "", null, null, true, why);

    public static WebhookExchange NoAnswer(string why) => new(null, null, "", null, null, false, why);
}
