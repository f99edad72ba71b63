using MonitorService.Checks.Analysis;
using MonitorService.Checks.Model;
using MonitorService.Checks.Parsing;

namespace MonitorService.Monitoring.Drift;

/// <summary>
/// DRIFT_MX_CHANGED and DRIFT_MX_NOT_COVERED. Compared only when both MX lookups succeeded (a failed lookup is not
/// "no MX"). After a change, every current host the published policy does not cover is reported, old or new: the
/// change may have removed the only covered host. The published policy is the one fetched in this check, else the
/// last one fetched; it counts only when usable with mode enforce or testing (mode none enforces nothing).
/// </summary>
internal static class MxChangeRules
{
    public static IEnumerable<DriftEvent> Evaluate(DriftInput input)
    {
        var previous = Normalize(input.Previous?.MxHosts);
        var current = Normalize(input.Current.MxHosts);
        if (previous is null || current is null)
            yield break;
        var added = current.Except(previous).ToList();
        var removed = previous.Except(current).ToList();
        if (added.Count == 0 && removed.Count == 0)
            yield break;

        yield return new DriftEvent(
            DriftCodes.MxChanged,
            Severity.Info,
            null,
            $"The MX hosts of {input.Domain} changed: added {DriftText.Hosts(added)}; removed {DriftText.Hosts(removed)} " +
            $"(now: {DriftText.Hosts(current)}). Senders deliver to the new set from now on, and under MTA-STS every " +
            "host must be covered by an mx line of the policy and offer STARTTLS with a valid certificate. " +
            "No action is needed if the change was intended.",
            null);

        var policy = input.Current.Policy ?? input.Previous?.Policy;
        if (policy is not { Applies: true })
            yield break;
        var uncovered = current.Where(h => MxPatternMatcher.FindCoveringPattern(policy.Mx, h) is null).ToList();
        if (uncovered.Count == 0)
            yield break;

        var currentId = input.Current.TxtKnown ? input.Current.TxtId : input.Previous?.TxtId;
        var newId = DriftText.SuggestedId(currentId, uncovered);
        foreach (var host in uncovered)
        {
            var fix = CoverageFix.Text(input.Domain, [host], newId);
            var consequence = policy.Mode == StsMode.Enforce
                ? "Enforcing senders will refuse to deliver to it."
                : "In testing mode senders still deliver but report a failure; under enforce they would refuse this host.";
            yield return new DriftEvent(
                DriftCodes.MxNotCovered,
                Severity.Error,
                host,
                $"After the MX change of {input.Domain}, {host} is not covered by the published MTA-STS policy " +
                $"(mode {DriftText.Mode(policy.Mode)}, mx: {DriftText.Hosts(policy.Mx)}) (RFC 8461 §4.1). {consequence} " +
                $"Fix: first add \"mx: {host}\" to {DriftText.PolicyUrl(input.Domain)}, then publish a new id " +
                $"(id={newId}) in {DriftText.TxtName(input.Domain)} — policy first, id second (RFC 8461 §8.1), " +
                "so senders that refetch on the new id find the new policy.",
                null,
                fix);
        }
    }

    /// <summary>Whether both MX lookups succeeded and the host sets differ.</summary>
    public static bool Changed(DriftInput input) =>
        Normalize(input.Previous?.MxHosts) is { } previous && Normalize(input.Current.MxHosts) is { } current &&
        !previous.SetEquals(current);

    /// <summary>Lower case, no trailing dot, no empty names (a null MX "."), duplicates removed, sorted.</summary>
    public static SortedSet<string>? Normalize(IReadOnlyList<string>? hosts) =>
        hosts is null
            ? null
            : new SortedSet<string>(
                hosts.Select(MxPatternMatcher.NormalizeHost).Where(h => h.Length > 0),
                StringComparer.Ordinal);
}
