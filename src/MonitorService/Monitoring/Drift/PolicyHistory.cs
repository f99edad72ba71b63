namespace MonitorService.Monitoring.Drift;

/// <summary>Look-ups in the policy history shared by the rules.</summary>
internal static class PolicyHistory
{
    /// <summary>The most recently seen observation of the same body (line endings aside) that matches, or null.</summary>
    public static PolicyObservation? LatestOf(
        IReadOnlyList<PolicyObservation> history, PolicyVersion body, Func<PolicyObservation, bool>? where = null) =>
        history
            .Where(o => o.Policy.SameBody(body) && (where is null || where(o)))
            .Aggregate((PolicyObservation?)null, (best, o) => best is null || o.LastSeen >= best.LastSeen ? o : best);

    /// <summary>
    /// The TXT id under which <paramref name="previousBody"/> was last served before this check: from the history
    /// (observations of earlier checks, i.e. seen before <see cref="DriftInput.Now"/>), else the last known id.
    /// The history is preferred because the last known id may be newer than the body (the id changed in a check whose
    /// fetch failed).
    /// </summary>
    public static string? EarlierId(DriftInput input, PolicyVersion previousBody)
    {
        var observed = LatestOf(input.PolicyHistory, previousBody, o => o.TxtId is not null && o.LastSeen < input.Now);
        if (observed is not null)
            return observed.TxtId;
        return input.Previous is { TxtKnown: true } previous ? previous.TxtId : null;
    }

    /// <summary>Whether both checks fetched a policy and the bodies differ.</summary>
    public static bool BodyChanged(DriftInput input) =>
        input.Previous?.Policy is { } previous && input.Current.Policy is { } current && !current.SameBody(previous);
}
