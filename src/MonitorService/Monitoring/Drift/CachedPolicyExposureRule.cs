using MonitorService.Checks.Model;
using MonitorService.Checks.Parsing;

namespace MonitorService.Monitoring.Drift;

/// <summary>An earlier enforce policy senders may still hold, and the current MX hosts it does not cover.</summary>
public sealed record CachedPolicyExposure(CachedPolicyWindow Window, IReadOnlyList<string> UncoveredHosts);

/// <summary>
/// DRIFT_CACHED_POLICY_EXPOSURE (RFC 8461 §3.2, §5.1; CACHE-02): senders may still apply an earlier enforce policy
/// (within LastSeen + max_age) that does not cover a current MX host, and would refuse to deliver there.
/// <para>
/// One event per earlier policy body, listing every uncovered host; subject = the TXT id it was served under. The
/// policy published now (fetched in this check, else the last one fetched) is not "earlier": its gaps are
/// DRIFT_MX_NOT_COVERED. Several observations of one body (served under several ids) count once, with the latest end.
/// </para>
/// <para>
/// <see cref="Find"/> evaluates the exposure on every check (for dashboards); <see cref="Evaluate"/> emits events only
/// when something changed in this check — the MX set, or the policy body — so the same exposure is not re-announced
/// every check. The caller needs no extra state for that: an unchanged domain never re-emits.
/// </para>
/// </summary>
public static class CachedPolicyExposureRule
{
    /// <summary>Every open exposure now, whether or not anything changed. Empty when the MX lookup failed.</summary>
    public static IReadOnlyList<CachedPolicyExposure> Find(DriftInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var current = MxChangeRules.Normalize(input.Current.MxHosts);
        if (current is null)
            return [];
        var published = input.Current.Policy ?? input.Previous?.Policy;
        var result = new List<CachedPolicyExposure>();
        var windows = SenderCacheClock.OpenWindows(input.PolicyHistory, input.Now)
            .Where(w => w.Observation.Policy.Enforces && (published is null || !w.Observation.Policy.SameBody(published)));
        foreach (var window in windows)
        {
            var index = result.FindIndex(e => e.Window.Observation.Policy.SameBody(window.Observation.Policy));
            if (index >= 0)
            {
                if (window.Until > result[index].Window.Until)
                    result[index] = result[index] with { Window = window };
                continue;
            }
            var uncovered = current
                .Where(h => MxPatternMatcher.FindCoveringPattern(window.Observation.Policy.Mx, h) is null)
                .ToList();
            if (uncovered.Count > 0)
                result.Add(new CachedPolicyExposure(window, uncovered));
        }
        return result;
    }

    internal static IEnumerable<DriftEvent> Evaluate(DriftInput input)
    {
        if (!MxChangeRules.Changed(input) && !PolicyHistory.BodyChanged(input))
            return [];
        return Find(input).Select(e => ToEvent(input, e));
    }

    private static DriftEvent ToEvent(DriftInput input, CachedPolicyExposure exposure)
    {
        var observation = exposure.Window.Observation;
        var policy = observation.Policy;
        var until = exposure.Window.Until;
        var hosts = DriftText.Hosts(exposure.UncoveredHosts);
        var served = observation.TxtId is null ? "served without a valid TXT record" : $"served under id \"{observation.TxtId}\"";
        return new DriftEvent(
            DriftCodes.CachedPolicyExposure,
            Severity.Warning,
            observation.TxtId,
            $"Senders that fetched an earlier MTA-STS policy of {input.Domain} ({served}, mode enforce, mx: " +
            $"{DriftText.Hosts(policy.Mx)}; last seen {DriftText.Time(observation.LastSeen)}, max_age {policy.MaxAge} s) may " +
            $"apply it until {DriftText.Time(until)} (RFC 8461 §3.2). It does not cover the current MX host(s) {hosts}: " +
            "until then such senders refuse to deliver there and queue the mail (senders that see a new id refetch first, " +
            "RFC 8461 §5.1). What to do: make sure the current policy covers every host and is published under a new id, " +
            $"and keep the hosts the earlier policy covers accepting mail until {DriftText.Time(until)}.",
            until);
    }
}
