using System.Globalization;
using System.Text.RegularExpressions;

namespace MonitorService.Domains;

/// <summary>Reads check intervals and other durations as people write them: <c>90s</c>, <c>30m</c>, <c>1h</c>, <c>1d</c>, <c>1h30m</c>, or plain seconds.</summary>
public static partial class DurationParser
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        text = text.Trim().ToLowerInvariant();
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= int.MaxValue)
        {
            duration = TimeSpan.FromSeconds(seconds);
            return true;
        }
        var match = Pattern().Match(text);
        if (!match.Success || text.Length == 0)
            return false;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = part.Value[^1];
            if (!int.TryParse(part.Value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
                return false;
            duration += unit switch
            {
                'd' => TimeSpan.FromDays(amount),
                'h' => TimeSpan.FromHours(amount),
                'm' => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromSeconds(amount),
            };
        }
        return true;
    }

    public static string Format(TimeSpan duration) => duration switch
    {
        { TotalSeconds: var s } when s % 86400 == 0 => $"{s / 86400:0}d",
        { TotalSeconds: var s } when s % 3600 == 0 => $"{s / 3600:0}h",
        { TotalSeconds: var s } when s % 60 == 0 => $"{s / 60:0}m",
        _ => $"{duration.TotalSeconds:0}s",
    };

    [GeneratedRegex("^(?<part>[0-9]{1,6}[dhms])+$")]
    private static partial Regex Pattern();
}
