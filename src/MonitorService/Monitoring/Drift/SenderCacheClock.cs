namespace MonitorService.Monitoring.Drift;

/// <summary>
/// How long senders may hold a policy: RFC 8461 §3.2 lets a sender cache a policy for max_age seconds from its last
/// fetch, so the worst case for a body is its <see cref="PolicyObservation.LastSeen"/> + its max_age (CACHE-02; the
/// TXT TTL a sender needs to notice a new id is not modelled). Only usable policies with a max_age are cached at all
/// (§3.3: an invalid policy is treated like a failed fetch).
/// </summary>
public static class SenderCacheClock
{
    /// <summary>Until when senders may hold the policy of <paramref name="observation"/>, or null if it cannot be cached.</summary>
    public static DateTimeOffset? CachedUntil(PolicyObservation observation) =>
        observation.Policy is { IsUsable: true, MaxAge: { } maxAge }
            ? observation.LastSeen.AddSeconds(maxAge)
            : null;

    /// <summary>
    /// For every earlier policy: until when senders may still hold it (LastSeen + MaxAge), only windows still open at
    /// <paramref name="now"/> (a window ending exactly at <paramref name="now"/> is closed). In history order.
    /// </summary>
    public static IReadOnlyList<CachedPolicyWindow> OpenWindows(IReadOnlyList<PolicyObservation> history, DateTimeOffset now) =>
        history
            .Select(o => (Observation: o, Until: CachedUntil(o)))
            .Where(w => w.Until > now)
            .Select(w => new CachedPolicyWindow(w.Observation, w.Until!.Value))
            .ToList();
}
