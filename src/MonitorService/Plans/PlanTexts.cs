using System.Globalization;
using MonitorService.Checks.Analysis;
using MonitorService.Checks.Dns;
using MonitorService.Monitoring.Drift;

namespace MonitorService.Plans;

/// <summary>
/// The words and the exact texts of a plan's steps: policy bodies (version, mode, mx lines, max_age), TXT records and
/// MX records as they are to be published. Pure.
/// </summary>
public static class PlanTexts
{
    /// <summary>A policy body as RFC 8461 §3.2 writes it. Lines end in LF here; senders accept LF and CRLF alike.</summary>
    public static string PolicyBody(IEnumerable<string> patterns, string mode, long maxAge) =>
        $"version: STSv1\nmode: {mode}\n{string.Concat(patterns.Select(p => $"mx: {p}\n"))}max_age: {Number(maxAge)}\n";

    /// <summary>Publish a policy, then (only then) its new id: senders that see the id refetch and must find the policy.</summary>
    public static string Publish(string domain, string intro, IEnumerable<string> patterns, string mode, long maxAge, string id) =>
        $"{intro}\n\n1. Serve this policy at {DriftText.PolicyUrl(domain)} (Content-Type: text/plain):\n\n" +
        PolicyBody(patterns, mode, maxAge) +
        $"\n2. Then, once it is served, replace the _mta-sts record with the new id:\n\n{NewPolicyId.TxtRecord(domain, id)}\n";

    public static string SwitchMx(string domain, IReadOnlyList<MxRecordData> target, IEnumerable<string> removed)
    {
        var records = string.Concat(target.OrderBy(r => r.Preference).Select(r => $"{domain}. IN MX {Number(r.Preference)} {r.Host}.\n"));
        var gone = removed.ToList();
        return $"Change the MX records of {domain} to exactly:\n\n{records}" +
               (gone.Count == 0 ? "" : $"\nand remove the records pointing at {DriftText.Hosts(gone)}.\n");
    }

    public static string WaitForSenderCaches(IReadOnlyList<string> newHosts, long maxAge, DateTimeOffset? until) => until is { } time
        ? $"Wait until {DriftText.Time(time)}. Until then senders may still hold an earlier policy that does not cover " +
          $"{DriftText.Hosts(newHosts)} (a sender keeps a policy for its max_age after it last fetched it, RFC 8461 §3.2) " +
          "and would refuse mail to those hosts (or, under testing, report failures). Do not change the MX records before then."
        : $"Wait until no sender can hold an earlier policy that does not cover {DriftText.Hosts(newHosts)}: the last time such a " +
          $"policy is seen plus its max_age ({Seconds(maxAge)}). The time is set when the steps before are observed.";

    public static string WaitForMaxAge(long longMaxAge, long lowMaxAge, DateTimeOffset? until) => until is { } time
        ? $"Wait until {DriftText.Time(time)}. Until then senders may still hold a policy with the longer max_age " +
          $"({Seconds(longMaxAge)}); after that no cached copy lives longer than {Seconds(lowMaxAge)}."
        : $"Wait until no sender can hold a policy with a max_age longer than {Seconds(lowMaxAge)}: the last time such a " +
          $"policy is seen plus its max_age ({Seconds(longMaxAge)}). The time is set when the step before is observed.";

    public static string Seconds(long seconds)
    {
        var s = $"{Number(seconds)} s";
        if (seconds % 86_400 == 0)
            return $"{s} = {Number(seconds / 86_400)} day{(seconds == 86_400 ? "" : "s")}";
        return seconds % 3600 == 0 ? $"{s} = {Number(seconds / 3600)} hour{(seconds == 3600 ? "" : "s")}" : s;
    }

    public static string Days(TimeSpan span) =>
        span.TotalDays >= 1 && span.Ticks % TimeSpan.TicksPerDay == 0
            ? $"{Number((long)span.TotalDays)} day{(span.TotalDays == 1 ? "" : "s")}"
            : span.ToString("c", CultureInfo.InvariantCulture);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
