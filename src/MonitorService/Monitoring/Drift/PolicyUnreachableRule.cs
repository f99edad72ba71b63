using MonitorService.Checks.Model;

namespace MonitorService.Monitoring.Drift;

/// <summary>
/// DRIFT_POLICY_UNREACHABLE (RFC 8461 §3.3, §10.2; CACHE-05): the policy could not be fetched in N consecutive checks
/// after having been fetched before. Emitted exactly when the count reaches N, not again at N+1 (a later success
/// resets the caller's count, so a new outage alerts again). Until = when the last policy senders could have cached
/// (the most recently seen usable one) runs out: LastSeen + max_age.
/// </summary>
internal static class PolicyUnreachableRule
{
    public static IEnumerable<DriftEvent> Evaluate(DriftInput input)
    {
        if (!input.Current.PolicyFetchFailed || input.ConsecutivePolicyFetchFailures != input.FailureThreshold ||
            input.PolicyHistory.Count == 0)
            yield break;

        var cached = input.PolicyHistory
            .Where(o => SenderCacheClock.CachedUntil(o) is not null)
            .Aggregate((PolicyObservation?)null, (best, o) => best is null || o.LastSeen >= best.LastSeen ? o : best);
        var until = cached is null ? (DateTimeOffset?)null : SenderCacheClock.CachedUntil(cached);
        var url = DriftText.PolicyUrl(input.Domain);

        string cache;
        if (cached is null || until is null)
            cache = "No valid policy was ever fetched, so no sender holds one; senders treat the domain as having no MTA-STS.";
        else if (until > input.Now)
            cache = $"Senders with a cached policy (mode {DriftText.Mode(cached.Policy.Mode)}, last fetched " +
                    $"{DriftText.Time(cached.LastSeen)}, max_age {cached.Policy.MaxAge} s) keep applying it until " +
                    $"{DriftText.Time(until.Value)} (RFC 8461 §3.3); after that, and already now for senders without a cached " +
                    "copy, mail to the domain has no MTA-STS protection.";
        else
            cache = $"Cached copies of the last policy ran out at {DriftText.Time(until.Value)}: senders now treat the domain " +
                    "as having no MTA-STS.";

        yield return new DriftEvent(
            DriftCodes.PolicyUnreachable,
            Severity.Error,
            $"mta-sts.{input.Domain}",
            $"The MTA-STS policy of {input.Domain} at {url} could not be fetched in {input.ConsecutivePolicyFetchFailures} " +
            $"consecutive checks. {cache} Fix: serve the policy again at {url} (HTTP 200, no redirect, a valid certificate " +
            $"for mta-sts.{input.Domain}).",
            until);
    }
}
