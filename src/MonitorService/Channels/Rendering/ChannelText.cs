using System.Text;
using System.Text.RegularExpressions;
using MonitorService.Mail;

namespace MonitorService.Channels.Rendering;

/// <summary>
/// Making alert text (hosts, policy lines, messages quoting them: attacker-controlled) safe in a chat message, and short
/// enough for one. JSON encoding itself is the serializer's; this is about what the chat app then parses.
/// </summary>
public static partial class ChannelText
{
    /// <summary>One line without control or formatting characters, cut at <paramref name="max"/>.</summary>
    public static string Line(string? text, int max) => MailText.HeaderValue(text ?? "", max);

    /// <summary>Lines without control characters (escape sequences, bidi overrides), cut at <paramref name="max"/>.</summary>
    public static string Block(string? text, int max)
    {
        var plain = MailText.Plain(text);
        return plain.Length <= max ? plain : plain[..(max - 1)] + "…";
    }

    /// <summary>
    /// Text for Slack's mrkdwn: &amp;, &lt; and &gt; escaped as Slack asks, so nothing can become a link
    /// (<c>&lt;https://evil|click&gt;</c>), a mention (<c>&lt;!channel&gt;</c>, <c>&lt;@U123&gt;</c>) or a date token.
    /// Bare "@channel", "@here" and "@everyone" get a word joiner after the "@", in case a workspace parses them.
    /// </summary>
    public static string Slack(string text)
    {
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => c.ToString(),
            });
        }
        return NoBroadcast(escaped.ToString());
    }

    /// <summary>"@channel", "@here", "@everyone" with a word joiner after the "@": for Slack's plain_text too, to be safe.</summary>
    public static string NoBroadcast(string text) => BroadcastMention().Replace(text, "@\u2060$1");

    /// <summary>
    /// Text for a Teams Adaptive Card TextBlock (a Markdown subset): a zero-width space after every "]" so that no
    /// <c>[text](url)</c> link, <c>[text][ref]</c> reference or <c>[ref]: url</c> definition can form — a policy value
    /// must not show one text and lead elsewhere. Bare URLs stay visible as what they are.
    /// </summary>
    public static string Teams(string text) => text.Replace("]", "]\u200B", StringComparison.Ordinal);

    [GeneratedRegex("@(channel|here|everyone)\\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex BroadcastMention();
}
