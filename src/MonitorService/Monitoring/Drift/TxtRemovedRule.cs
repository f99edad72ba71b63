using MonitorService.Checks.Model;

namespace MonitorService.Monitoring.Drift;

/// <summary>
/// DRIFT_TXT_REMOVED: the last known valid TXT record is gone (the lookup succeeded and found none) while senders may
/// still hold an enforce policy. A missing record means "no policy" for discovery only; it does not remove cached
/// policies (RFC 8461 §3.1, §5.1; TXT-10, CACHE-04). Until = the latest end of an open enforce window.
/// </summary>
internal static class TxtRemovedRule
{
    public static IEnumerable<DriftEvent> Evaluate(DriftInput input)
    {
        if (input.Previous is not { TxtKnown: true, TxtId: { } previousId } ||
            input.Current is not { TxtKnown: true, TxtId: null })
            yield break;
        var windows = SenderCacheClock.OpenWindows(input.PolicyHistory, input.Now)
            .Where(w => w.Observation.Policy.Enforces)
            .ToList();
        if (windows.Count == 0)
            yield break;
        var until = windows.Max(w => w.Until);
        var mx = windows.SelectMany(w => w.Observation.Policy.Mx).Distinct(StringComparer.OrdinalIgnoreCase);

        yield return new DriftEvent(
            DriftCodes.TxtRemoved,
            Severity.Warning,
            DriftText.TxtName(input.Domain),
            $"The MTA-STS record {DriftText.TxtName(input.Domain)} (id \"{previousId}\") of {input.Domain} is gone, but senders " +
            $"may still hold an enforce policy (mx: {DriftText.Hosts(mx)}) until {DriftText.Time(until)}. A missing record " +
            "does not remove cached policies (RFC 8461 §3.1, §5.1): until then those senders keep refusing MX hosts the " +
            "cached policy does not cover, and cannot learn of a new policy. To remove MTA-STS safely (RFC 8461 §8.3): " +
            "restore the record, publish \"mode: none\" with a small max_age under a new id, wait until " +
            $"{DriftText.Time(until)}, then remove the record and the policy host.",
            until);
    }
}
