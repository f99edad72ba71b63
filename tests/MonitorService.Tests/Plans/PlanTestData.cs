using MonitorService.Checks.Dns;
using MonitorService.Checks.Model;
using MonitorService.Monitoring;
using MonitorService.Monitoring.Drift;
using MonitorService.Plans;
using MonitorService.Storage.Entities;

namespace MonitorService.Tests.Plans;

/// <summary>A domain moving from mx1/mx2.example.com to a new provider's mx3.example.net, as plain values.</summary>
internal static class P
{
    public const string Domain = "example.com";
    public const string Mx1 = "mx1.example.com";
    public const string Mx2 = "mx2.example.com";
    public const string Mx3 = "mx3.example.net";
    public const long Week = 604_800;
    public static readonly TimeSpan CleanPeriod = TimeSpan.FromDays(7);
    public static readonly DateTimeOffset T0 = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    public static PlanBaseline Baseline(StsMode mode = StsMode.Enforce, long maxAge = Week, string[]? patterns = null, string[]? mx = null, string? id = "20260101") =>
        new(Domain, mx ?? [Mx1, Mx2], patterns ?? [Mx1, Mx2], mode, maxAge, id);

    public static PlanTarget Target(StsMode? mode = null, long? maxAge = null, params string[] mx) =>
        new((mx.Length == 0 ? [Mx3] : mx).Select((h, i) => new MxRecordData((i + 1) * 10, h)).ToList(), mode, maxAge);

    public static ChangePlan Plan(PlanBaseline? baseline = null, PlanTarget? target = null, DateTimeOffset? at = null) =>
        ChangePlanner.Create(Guid.NewGuid(), baseline ?? Baseline(), target ?? Target(), at ?? T0, CleanPeriod, "ops@example.com");

    public static string Body(string mode, long maxAge, params string[] mx) =>
        $"version: STSv1\r\nmode: {mode}\r\nmax_age: {maxAge}\r\n" + string.Concat(mx.Select(m => $"mx: {m}\r\n"));

    public static PolicyVersion Policy(string mode, long maxAge, params string[] mx) => CheckSnapshot.PolicyVersionOf(Body(mode, maxAge, mx));

    public static PolicyObservation Seen(PolicyVersion policy, string? id, DateTimeOffset first, DateTimeOffset last) => new(policy, id, first, last);

    public static PlanCheck Check(DateTimeOffset now, string[]? mx, string? id, PolicyVersion? policy, IReadOnlyList<PolicyObservation> history, bool errors = false) =>
        new(now, new DomainState(mx, true, id, policy, false), errors, history);

    public static IReadOnlyList<PlanTransition> Advance(ChangePlan plan, PlanCheck check) => PlanSupervisor.Advance(plan, Domain, check, CleanPeriod);

    public static ChangePlanStep Step(ChangePlan plan, int n) => plan.Steps.Single(s => s.N == n);
}
