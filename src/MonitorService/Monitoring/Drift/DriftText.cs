using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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

    /// <summary>
    /// A new id to suggest: valid (1-32 letters or digits, RFC 8461 §3.1), different from the current one and the same
    /// for the same situation, so an unchanged problem gives an unchanged message.
    /// </summary>
    public static string SuggestedId(string? currentId, IEnumerable<string> changes)
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{currentId}\n{string.Join('\n', changes)}"));
        var id = new StringBuilder("sts");
        foreach (var b in hash.AsSpan(0, 12))
            id.Append(alphabet[b % alphabet.Length]);
        return id.ToString();
    }
}
