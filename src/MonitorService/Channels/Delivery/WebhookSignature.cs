using System.Security.Cryptography;
using System.Text;

namespace MonitorService.Channels.Delivery;

/// <summary>
/// The generic webhook's signature: HMAC-SHA256, keyed with the channel's secret (its UTF-8 bytes, exactly as shown at
/// creation), over the timestamp, a ".", and the body's bytes; sent as <c>X-MonitorService-Signature: sha256=&lt;hex&gt;</c>
/// next to <c>X-MonitorService-Timestamp</c> (Unix seconds). Signing the timestamp lets a receiver refuse replays (an
/// old timestamp) without trusting an unsigned header.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-MonitorService-Signature";
    public const string TimestampHeader = "X-MonitorService-Timestamp";
    public const string EventIdHeader = "X-MonitorService-Event-Id";
    public const string DeliveryIdHeader = "X-MonitorService-Delivery-Id";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.ASCII.GetBytes(timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed)).ToLowerInvariant();
    }
}
