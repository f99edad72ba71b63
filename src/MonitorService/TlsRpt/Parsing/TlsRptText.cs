using System.Text;

namespace MonitorService.TlsRpt.Parsing;

/// <summary>Strings from a report as they may be stored: no control characters (PostgreSQL refuses NUL), no lone surrogates, trimmed, capped.</summary>
public static class TlsRptText
{
    /// <summary>The cleaned value, or null when nothing is left; <paramref name="cut"/> tells whether the cap cut it.</summary>
    public static string? Clean(string? value, int max, out bool cut)
    {
        cut = false;
        if (value is null)
            return null;
        var builder = new StringBuilder(Math.Min(value.Length, max + 1));
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                {
                    builder.Append(c).Append(value[++i]);
                }
                continue;
            }
            if (char.IsLowSurrogate(c) || char.IsControl(c))
                continue;
            builder.Append(c);
        }
        var text = builder.ToString().Trim();
        if (text.Length > max)
        {
            cut = true;
            // Never between the halves of a surrogate pair.
            var length = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
            text = text[..length];
        }
        return text.Length == 0 ? null : text;
    }

    /// <summary>A domain or host name as we compare it: lower case, without a trailing dot.</summary>
    public static string? DomainName(string? value, out bool cut)
    {
        var text = Clean(value, TlsRptLimits.DomainName + 1, out cut)?.TrimEnd('.').ToLowerInvariant();
        if (text is { Length: > TlsRptLimits.DomainName })
        {
            cut = true;
            text = text[..TlsRptLimits.DomainName];
        }
        return string.IsNullOrEmpty(text) ? null : text;
    }
}
