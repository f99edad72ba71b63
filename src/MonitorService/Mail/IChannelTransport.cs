using MonitorService.Storage.Entities;

namespace MonitorService.Mail;

/// <summary>
/// Delivers an outbox message that goes to an alert channel (webhook, Slack, Teams) rather than by mail: the outbox
/// claims, renews, records and settles it exactly like mail, and hands the send itself to this. Implemented where the
/// channels are known (Channels). Never throws for a failed delivery: the failure is the result.
/// </summary>
public interface IChannelTransport
{
    Task<ChannelDelivery> SendAsync(OutboxMessage message, CancellationToken cancellationToken);
}

/// <summary>What one send to an alert channel came to.</summary>
/// <param name="Outcome">One of <see cref="DeliveryOutcomes"/>.</param>
/// <param name="Detail">The receiver's answer or the error, for the alert log (no credentials).</param>
/// <param name="Destination">Where it went, without credentials: "slack https://hooks.slack.com".</param>
/// <param name="RetryAfter">How long the receiver asked us to wait (Retry-After), when it said.</param>
/// <param name="Unreachable">Nothing answered (DNS, connect, TLS, timeout): this run tries the channel's other
/// deliveries no more, as mail does when its server cannot be reached.</param>
public sealed record ChannelDelivery(string Outcome, string Detail, string Destination, TimeSpan? RetryAfter = null, bool Unreachable = false);
