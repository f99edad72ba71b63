using System.Net.Http.Headers;

namespace MonitorService.Channels.Delivery;

/// <summary>A receiver's Retry-After (seconds or an HTTP date), as a wait from now; bounded later by the outbox (Alerts:MaxBackoff).</summary>
public static class RetryAfterHeader
{
    public static TimeSpan? Wait(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date)
            return date > now ? date - now : TimeSpan.Zero;
        return null;
    }
}
