using System.Globalization;
using MonitorService.Checks.Model;

namespace MonitorService.Monitoring.Drift;

/// <summary>Wording shared by the rules: times, host lists, where things are published.</summary>
internal static class DriftText
{
    /// <summary>"2026-03-14 09:12 UTC".</summary>
    public static string Time(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Hosts(IEnumerable<string> hosts)
    {
        var list = hosts.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }

    public static string Mode(StsMode? mode) => mode is { } m ? StsPolicy.ModeName(m) : "(invalid)";

    public static string Id(string? id) => id is null ? "(no valid record)" : $"\"{id}\"";

    public static string PolicyUrl(string domain) => $"https://mta-sts.{domain}/.well-known/mta-sts.txt";

    public static string TxtName(string domain) => $"_mta-sts.{domain}";

    /// <summary>The engine's suggested new id, so a check's fix and a drift event's fix name the same id.</summary>
    public static string SuggestedId(string? currentId, IEnumerable<string> changes) =>
        Checks.Analysis.SuggestedId.For(currentId, changes);
}
