using MonitorService.Checks.Model;

namespace MonitorService.Monitoring.Drift;

/// <summary>
/// DRIFT_MODE_DOWNGRADE: enforce → testing/none or testing → none between two fetched, usable policies. An unusable
/// new policy is not a downgrade for senders (they keep their cached one, RFC 8461 §3.3), so it is not reported here.
/// </summary>
internal static class ModeDowngradeRule
{
    public static IEnumerable<DriftEvent> Evaluate(DriftInput input)
    {
        if (input.Previous?.Policy is not { IsUsable: true, Mode: { } before } ||
            input.Current.Policy is not { IsUsable: true, Mode: { } after } ||
            Rank(after) >= Rank(before))
            yield break;

        var consequence = after == StsMode.Testing
            ? "senders that fetch it deliver even when an MX fails MTA-STS validation (they only report the failure)"
            : "senders that fetch it stop applying MTA-STS altogether";
        yield return new DriftEvent(
            DriftCodes.ModeDowngrade,
            Severity.Warning,
            null,
            $"The MTA-STS mode of {input.Domain} went from {DriftText.Mode(before)} to {DriftText.Mode(after)}: {consequence}, " +
            "so mail is no longer protected against TLS downgrade and interception as before (RFC 8461 §5). " +
            $"If this was not intended, restore \"mode: {DriftText.Mode(before)}\" at {DriftText.PolicyUrl(input.Domain)} " +
            $"and then publish a new id in {DriftText.TxtName(input.Domain)}. If MTA-STS is being removed, keep the record " +
            "and the policy host until every earlier max_age has run out (RFC 8461 §8.3).",
            null);
    }

    private static int Rank(StsMode mode) => mode switch
    {
        StsMode.Enforce => 2,
        StsMode.Testing => 1,
        _ => 0,
    };
}
