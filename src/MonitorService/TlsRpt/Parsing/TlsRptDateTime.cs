using System.Globalization;
using System.Text.RegularExpressions;

namespace MonitorService.TlsRpt.Parsing;

/// <summary>
/// RFC 3339 date-times as reports carry them (RFC 8460 §4.4). Tolerated: no zone at all (Microsoft writes
/// <c>2026-11-29T00:00:00</c>), taken as UTC; a space instead of the T; a lower-case z. Anything else is refused.
/// </summary>
public static partial class TlsRptDateTime
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    public static bool TryParse(string? text, out DateTimeOffset value, out bool zoneMissing)
    {
        value = default;
        zoneMissing = false;
        if (text is null || text.Length > 40)
            return false;
        var match = Rfc3339().Match(text);
        if (!match.Success)
            return false;
        zoneMissing = !match.Groups[2].Success;
        // Fractions beyond 7 digits are more than DateTimeOffset holds: cut to what it does.
        var normalized = text.Replace(' ', 'T').Replace('t', 'T').Replace('z', 'Z');
        if (match.Groups[1].Success && match.Groups[1].Length > 8)
            normalized = normalized.Remove(match.Groups[1].Index + 8, match.Groups[1].Length - 8);
        return DateTimeOffset.TryParse(normalized, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }
}
