namespace MonitorService.Monitoring.Drift;

/// <summary>
/// Compares one check with the last known state and the policy history, and says what drifted. Pure: no IO, no clock
/// (time is <see cref="DriftInput.Now"/>). A part that could not be looked up in this check (null / not known) is
/// compared with nothing: a failure is never reported as drift (failed fetches are DRIFT_POLICY_UNREACHABLE).
/// </summary>
public static class DriftDetector
{
    public static IReadOnlyList<DriftEvent> Detect(DriftInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(input.Current);
        ArgumentNullException.ThrowIfNull(input.PolicyHistory);
        ArgumentOutOfRangeException.ThrowIfLessThan(input.FailureThreshold, 1);

        // An id that only some name servers serve is not a change senders act on yet: the id (and policy) change rules
        // would call it published (or, when the resolver asked a stale server, a body change under the old id).
        var notYetPublished = IdNotYetPublishedRule.Evaluate(input).ToList();
        return
        [
            .. MxChangeRules.Evaluate(input),
            .. notYetPublished.Count > 0 ? notYetPublished : PolicyChangeRules.Evaluate(input),
            .. ModeDowngradeRule.Evaluate(input),
            .. TxtRemovedRule.Evaluate(input),
            .. CachedPolicyExposureRule.Evaluate(input),
            .. PolicyUnreachableRule.Evaluate(input),
            .. DaneDriftRules.Evaluate(input),
        ];
    }
}
