using MonitorService.Checks.Model;

namespace MonitorService.Monitoring.Drift;

/// <summary>
/// DRIFT_POLICY_CHANGED, DRIFT_TXT_ID_CHANGED and DRIFT_STALE_ID: the policy body compared together with the TXT id
/// it was served under (RFC 8461 §3.1: a new id is the only signal for senders to refetch; CACHE-01, CACHE-03).
/// Compared only when both checks fetched a policy and this check found a valid TXT record: without a record
/// senders fetch nothing (a removed record is DRIFT_TXT_REMOVED's business).
/// The earlier id is the one the previous body was last served under (see <see cref="PolicyHistory.EarlierId"/>), so
/// "id changed, then body changed without a new id" is a stale id even though each step looked harmless.
/// A body change under the same id is an error only when the previous body was usable: senders cache only valid
/// policies (§3.3), so fixing a broken body without a new id strands nobody.
/// </summary>
internal static class PolicyChangeRules
{
    public static IEnumerable<DriftEvent> Evaluate(DriftInput input)
    {
        if (input.Previous?.Policy is not { } previous || input.Current.Policy is not { } current ||
            !input.Current.TxtKnown || input.Current.TxtId is not { } currentId)
            yield break;

        var earlierId = PolicyHistory.EarlierId(input, previous);
        var txt = DriftText.TxtName(input.Domain);
        var url = DriftText.PolicyUrl(input.Domain);

        if (current.SameBody(previous))
        {
            if (earlierId is not null && earlierId != currentId)
                yield return new DriftEvent(
                    DriftCodes.TxtIdChanged,
                    Severity.Info,
                    currentId,
                    $"The MTA-STS id of {input.Domain} changed from \"{earlierId}\" to \"{currentId}\" ({txt}) while the " +
                    $"policy at {url} stayed the same. Senders will refetch and get the same policy, which is harmless. " +
                    "If a policy change was meant to go with it, change the policy body first and then publish yet another " +
                    "id (RFC 8461 §8.1): senders that refetched under this id will not refetch for a body change alone.",
                    null);
            yield break;
        }

        var changes = Differences(previous, current);
        if (earlierId == currentId && previous.IsUsable)
        {
            var seen = PolicyHistory.LatestOf(input.PolicyHistory, previous);
            var lastSeen = seen?.LastSeen ?? input.Now;
            var until = lastSeen.AddSeconds(previous.MaxAge ?? 0);
            var newId = DriftText.SuggestedId(currentId, [current.Body]);
            yield return new DriftEvent(
                DriftCodes.StaleId,
                Severity.Error,
                currentId,
                $"The MTA-STS policy of {input.Domain} at {url} changed ({changes}) but the id in {txt} stayed \"{currentId}\". " +
                "Senders refetch only when the id changes (RFC 8461 §3.1), so those that cached the previous policy " +
                $"(mode {DriftText.Mode(previous.Mode)}, mx: {DriftText.Hosts(previous.Mx)}) keep applying it until " +
                $"{DriftText.Time(until)} (last seen {DriftText.Time(lastSeen)} + max_age {previous.MaxAge} s), and some " +
                "senders (mox, Stalwart, PMSR) extend the cache without refetching while the id stays unchanged, so they may " +
                $"never see the new policy. Fix: publish a new id now: {txt} TXT \"v=STSv1; id={newId}\" (the new policy is " +
                "already in place, so the order policy first, id second is kept).",
                until,
                $"{txt} TXT \"v=STSv1; id={newId}\"");
            yield break;
        }

        var idNote = earlierId == currentId
            ? $"the id stayed \"{currentId}\", but the previous policy was not valid, so no sender could have cached it"
            : $"the id changed with it ({DriftText.Id(earlierId)} → \"{currentId}\")";
        yield return new DriftEvent(
            DriftCodes.PolicyChanged,
            Severity.Info,
            currentId,
            $"The MTA-STS policy of {input.Domain} at {url} changed ({changes}) and {idNote}. Senders fetch the new policy " +
            "when they next see the id. No action is needed if the change was intended; make sure every MX host is covered.",
            null);
    }

    /// <summary>"mode enforce → testing, max_age 604800 → 86400, mx added a, removed b" (or "text only").</summary>
    internal static string Differences(PolicyVersion previous, PolicyVersion current)
    {
        var parts = new List<string>();
        if (previous.Mode != current.Mode)
            parts.Add($"mode {DriftText.Mode(previous.Mode)} → {DriftText.Mode(current.Mode)}");
        if (previous.MaxAge != current.MaxAge)
            parts.Add($"max_age {previous.MaxAge?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(invalid)"} → " +
                      $"{current.MaxAge?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(invalid)"}");
        var before = previous.Mx.Select(m => m.ToLowerInvariant()).ToHashSet();
        var after = current.Mx.Select(m => m.ToLowerInvariant()).ToHashSet();
        var added = after.Except(before).ToList();
        var removed = before.Except(after).ToList();
        if (added.Count > 0)
            parts.Add($"mx added {DriftText.Hosts(added)}");
        if (removed.Count > 0)
            parts.Add($"mx removed {DriftText.Hosts(removed)}");
        if (previous.IsUsable != current.IsUsable)
            parts.Add(current.IsUsable ? "now valid" : "no longer valid");
        return parts.Count == 0 ? "text only, same mode, max_age and mx" : string.Join(", ", parts);
    }
}
