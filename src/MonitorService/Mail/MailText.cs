using System.Net;
using System.Text;

namespace MonitorService.Mail;

/// <summary>
/// Making text a domain published (host names, policy lines, server replies: attacker-controlled) safe where it goes:
/// a header value that can never start a new header, and HTML that can never become markup.
/// </summary>
public static class MailText
{
    /// <summary>
    /// One line for a header value: every control character (CR, LF, TAB, NUL, Unicode line and paragraph separators,
    /// bidi overrides) becomes a space, runs of spaces collapse, and the result is cut at <paramref name="maxLength"/>.
    /// MimeKit then encodes non-ASCII (RFC 2047) and folds long values, so the header stays one header.
    /// </summary>
    public static string HeaderValue(string text, int maxLength = 200)
    {
        var result = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        var lastWasSpace = false;
        foreach (var c in text)
        {
            var space = char.IsControl(c) || char.IsWhiteSpace(c) || IsFormatting(c);
            if (space && (lastWasSpace || result.Length == 0))
                continue;
            result.Append(space ? ' ' : c);
            lastWasSpace = space;
            if (result.Length >= maxLength)
            {
                result.Length = maxLength - 1;
                result.Append('…');
                break;
            }
        }
        return result.ToString().TrimEnd();
    }

    /// <summary>Text for an HTML text node or a quoted attribute value.</summary>
    public static string Html(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>Text for a plain-text body: line endings normalised, other control characters (escape sequences) made visible.</summary>
    public static string Plain(string? text)
    {
        var normalized = (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        var result = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
            result.Append(c == '\n' || c == '\t' || !(char.IsControl(c) || IsFormatting(c)) ? c : '\uFFFD');
        return result.ToString();
    }

    // Bidi embeddings/overrides/isolates and zero-width characters: they can make a host name read as another.
    private static bool IsFormatting(char c) => c is >= '\u200B' and <= '\u200F' or >= '\u2028' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\uFEFF';
}
