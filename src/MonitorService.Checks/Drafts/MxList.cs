using System.Globalization;
using MonitorService.Checks.Dns;
using MonitorService.Checks.Model;

namespace MonitorService.Checks.Drafts;

/// <summary>
/// An MX set someone typed: <c>HOST[:PREF]</c> items, separated by commas (or given one by one). Host names are
/// normalised like domains (lower case, A-labels, no trailing dot); an item without a preference gets 10 × its position
/// (10, 20, ...), the order senders would try them in. Bounded: at most <see cref="MaxHosts"/> hosts.
/// </summary>
public static class MxList
{
    /// <summary>The most hosts one set may name (the engine never looks at more: Checks:MaxMxHosts is at most 50).</summary>
    public const int MaxHosts = 50;

    public static bool TryParse(IEnumerable<string> items, out IReadOnlyList<MxRecordData> records, out string error)
    {
        var result = new List<MxRecordData>();
        records = result;
        var parts = items.SelectMany(i => i.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (parts.Count == 0)
        {
            error = "name at least one MX host (HOST or HOST:PREFERENCE)";
            return false;
        }
        if (parts.Count > MaxHosts)
        {
            error = $"at most {MaxHosts} MX hosts, not {parts.Count}";
            return false;
        }
        foreach (var part in parts)
        {
            var colon = part.LastIndexOf(':');
            var hostText = colon < 0 ? part : part[..colon];
            var preference = (result.Count + 1) * 10;
            if (colon >= 0 && (!int.TryParse(part[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out preference) || preference > 65535))
            {
                error = $"\"{Shorten(part)}\": the preference after ':' must be a whole number from 0 to 65535";
                return false;
            }
            if (!DomainName.TryNormalize(hostText, out var host, out var hostError))
            {
                error = $"\"{Shorten(part)}\": {hostError}";
                return false;
            }
            if (result.Any(r => r.Host == host))
            {
                error = $"{host} is named twice";
                return false;
            }
            result.Add(new MxRecordData(preference, host));
        }
        error = "";
        return true;
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
