namespace MonitorService.TlsRpt.Views;

/// <summary>
/// What senders reported while a change plan ran: the evidence, beside the plan's steps, that the move hurts no
/// sender (or which ones it does). Sessions from the plan's first report day (or the shown range's first, when the plan
/// is older), and the organisations that applied, since then, a policy we no longer serve: still from their cache
/// (expected until its max_age runs out) or one we never served. Pure: drawn from what the page already read.
/// </summary>
public sealed record PlanSenders(DateOnly Since, long Successful, long Failed, IReadOnlyList<string> StaleCached, IReadOnlyList<string> Different)
{
    public static PlanSenders Of(DateTimeOffset planCreatedAt, IReadOnlyList<TlsRptDay> days, IReadOnlyList<SenderPolicyView> policies)
    {
        var planDay = DateOnly.FromDateTime(planCreatedAt.UtcDateTime);
        var since = days.Count > 0 && days[0].Date > planDay ? days[0].Date : planDay;
        var during = days.Where(d => d.Date >= since).ToList();
        IReadOnlyList<string> Organizations(SenderPolicyVerdict verdict) => policies
            .Where(p => p.LastDay >= since && p.Judgement.Verdict == verdict)
            .Select(p => p.Organization).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new PlanSenders(since, during.Sum(d => d.Successful), during.Sum(d => d.Failed),
            Organizations(SenderPolicyVerdict.StaleCached), Organizations(SenderPolicyVerdict.Different));
    }

    public bool HasReports => Successful + Failed > 0;
}
