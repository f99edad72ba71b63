using MonitorService.Checks.Model;
using MonitorService.Checks.Parsing;
using MonitorService.Monitoring.Drift;

namespace MonitorService.TlsRpt.Views;

public enum SenderPolicyVerdict
{
    /// <summary>The policy we served during those days (same mode, max_age and mx patterns).</summary>
    Current,
    /// <summary>A policy we had replaced, but that senders may still cache (its last sighting + max_age reaches these days): a stale cache.</summary>
    StaleCached,
    /// <summary>A policy we had replaced, applied after its max_age ran out, or one we never served.</summary>
    Different,
    /// <summary>We did not observe the domain around those days: nothing to compare with.</summary>
    Unknown,
}

/// <summary>The verdict with the policy of ours it refers to (for StaleCached: the replaced one, and until when senders may hold it).</summary>
public sealed record SenderPolicyJudgement(SenderPolicyVerdict Verdict, PolicyObservation? Ours, DateTimeOffset? CachedUntil);

/// <summary>
/// Compares the STS policy a sender says it applied (the report's <c>policy-string</c>) with the policies we observed,
/// on the sender-cache clock (RFC 8461 §3.2: a sender may keep a policy until max_age after it last fetched it).
/// Policies are the same when mode, max_age and the set of mx patterns are (text layout and comments aside).
/// </summary>
public static class SenderPolicyCheck
{
    public static SenderPolicyJudgement Judge(IReadOnlyList<string> policyStrings, DateOnly first, DateOnly last, IReadOnlyList<PolicyObservation> history)
    {
        var applied = StsPolicyParser.Parse(string.Join('\n', policyStrings)).Policy;
        var start = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(last.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(1);
        var live = history.Where(o => o.FirstSeen < end && o.LastSeen >= start).ToList();
        if (live.Any(o => Same(applied, o.Policy)))
            return new SenderPolicyJudgement(SenderPolicyVerdict.Current, live.First(o => Same(applied, o.Policy)), null);
        // A replaced policy the sender could still hold on the first day it reported applying it.
        var cached = history
            .Where(o => o.LastSeen < end && Same(applied, o.Policy) && SenderCacheClock.CachedUntil(o) is { } until && until >= start)
            .OrderByDescending(o => o.LastSeen)
            .FirstOrDefault();
        if (cached is not null)
            return new SenderPolicyJudgement(SenderPolicyVerdict.StaleCached, cached, SenderCacheClock.CachedUntil(cached));
        if (live.Count == 0 && !history.Any(o => o.FirstSeen < end))
            return new SenderPolicyJudgement(SenderPolicyVerdict.Unknown, null, null);
        return new SenderPolicyJudgement(SenderPolicyVerdict.Different, live.LastOrDefault() ?? history.Where(o => o.FirstSeen < end).MaxBy(o => o.LastSeen), null);
    }

    private static bool Same(StsPolicy applied, PolicyVersion ours) =>
        applied.Mode == ours.Mode && applied.MaxAge == ours.MaxAge && MxKey(applied.Mx) == MxKey(ours.Mx);

    private static string MxKey(IReadOnlyList<string> mx) =>
        string.Join(' ', mx.Select(m => m.Trim().TrimEnd('.').ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal));
}
