using MonitorService.Checks.Model;
using MonitorService.Monitoring.Drift;

namespace MonitorService.Tests.Monitoring.Drift;

internal static class D
{
    public const string Domain = "example.com";
    public static readonly DateTimeOffset Now = new(2026, 3, 14, 9, 12, 0, TimeSpan.Zero);
    public const long Week = 604800;
    public const long Day = 86400;

    public static PolicyVersion Policy(StsMode mode, long maxAge, params string[] mx)
    {
        var name = StsPolicy.ModeName(mode);
        var body = $"version: STSv1\r\nmode: {name}\r\nmax_age: {maxAge}\r\n" + string.Concat(mx.Select(m => $"mx: {m}\r\n"));
        return new PolicyVersion(body, mode, maxAge, mx, mode == StsMode.None || mx.Length > 0);
    }

    public static DomainState State(string[]? mx, string? id, PolicyVersion? policy, bool txtKnown = true, bool fetchFailed = false) =>
        new(mx, txtKnown, id, policy, fetchFailed);

    public static PolicyObservation Seen(PolicyVersion policy, string? id, DateTimeOffset lastSeen, DateTimeOffset? firstSeen = null) =>
        new(policy, id, firstSeen ?? lastSeen.AddDays(-30), lastSeen);

    public static DriftInput Input(
        DomainState? previous, DomainState current, IReadOnlyList<PolicyObservation>? history = null,
        int failures = 0, int threshold = DriftInput.DefaultFailureThreshold, DateTimeOffset? now = null) =>
        new(Domain, previous, current, history ?? [], failures, threshold, now ?? Now);

    public static IReadOnlyList<DriftEvent> Detect(
        DomainState? previous, DomainState current, IReadOnlyList<PolicyObservation>? history = null,
        int failures = 0, int threshold = DriftInput.DefaultFailureThreshold, DateTimeOffset? now = null) =>
        DriftDetector.Detect(Input(previous, current, history, failures, threshold, now));

    public static IReadOnlyList<string> Codes(IEnumerable<DriftEvent> events) => events.Select(e => e.Code).ToList();
}
