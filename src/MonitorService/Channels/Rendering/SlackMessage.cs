using System.Text;
using System.Text.Json.Nodes;
using MonitorService.Alerts;
using MonitorService.Monitoring.Drift;

namespace MonitorService.Channels.Rendering;

/// <summary>
/// A Slack incoming-webhook message: <c>text</c> (the notification line) and Block Kit <c>blocks</c> — a header, one
/// section per problem with its fix in a code block, the resolved ones, a dashboard button — short enough to read on a
/// phone and within Slack's limits (50 blocks, 3000 characters a section, 150 a header). Every mrkdwn string goes
/// through <see cref="ChannelText.Slack"/>; link previews are off, so Slack fetches nothing a domain named.
/// </summary>
public static class SlackMessage
{
    private const int MaxItems = 10;
    private const int SectionChars = 2900;

    public static string Render(AlertContent c)
    {
        var title = ChannelText.Line(ChannelText.NoBroadcast($"{c.Domain}: {c.Headline}"), 150);
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = PlainText(title) },
            Context($"Checked {DriftText.Time(c.CheckedAt)}" + (c.New.Count > 0 ? $" · {c.New.Count} new" : "") + (c.Resolved.Count > 0 ? $" · {c.Resolved.Count} resolved" : "")),
        };
        foreach (var item in c.New.Take(MaxItems))
            blocks.Add(Section(Item(item)));
        if (c.New.Count > MaxItems)
            blocks.Add(Context($"…and {c.New.Count - MaxItems} more: see the dashboard or the alert mail."));
        if (c.Context.Count > 0)
            blocks.Add(Section(List("Also changed in this check", c.Context)));
        if (c.Resolved.Count > 0)
            blocks.Add(Section(List("Resolved", c.Resolved)));
        if (c.DashboardLink is { } link)
            blocks.Add(new JsonObject
            {
                ["type"] = "actions",
                ["elements"] = new JsonArray { new JsonObject { ["type"] = "button", ["text"] = PlainText("Open in the dashboard"), ["url"] = link.AbsoluteUri } },
            });
        var message = new JsonObject
        {
            ["text"] = ChannelText.Slack(ChannelText.Line(AlertMailRenderer.Subject(c), 300)),
            ["blocks"] = blocks,
            ["unfurl_links"] = false,
            ["unfurl_media"] = false,
        };
        return message.ToJsonString();
    }

    private static string Item(AlertItem item)
    {
        var text = new StringBuilder();
        text.Append('*').Append(item.Severity.ToUpperInvariant()).Append("* `").Append(ChannelText.Slack(item.Code)).Append('`');
        if (item.Subject is { Length: > 0 } subject)
            text.Append("  ").Append(ChannelText.Slack(ChannelText.Line(subject, 200)));
        text.Append('\n').Append(ChannelText.Slack(ChannelText.Block(item.Message, 1200)));
        if (item.Until is { } until)
            text.Append("\n_Senders that cached an earlier policy keep acting on it until ").Append(DriftText.Time(until)).Append("._");
        if (item.Fix is { Length: > 0 } fix)
            text.Append("\n*Fix*\n```").Append(ChannelText.Slack(ChannelText.Block(fix, 1200)).Replace("```", "` ` `", StringComparison.Ordinal)).Append("```");
        return text.ToString();
    }

    private static string List(string title, IReadOnlyList<AlertItem> items)
    {
        var text = new StringBuilder().Append('*').Append(title).Append('*');
        foreach (var item in items.Take(MaxItems))
        {
            text.Append("\n• `").Append(ChannelText.Slack(item.Code)).Append('`');
            if (item.Subject is { Length: > 0 } subject)
                text.Append(' ').Append(ChannelText.Slack(ChannelText.Line(subject, 200)));
            text.Append(" — ").Append(ChannelText.Slack(ChannelText.Line(item.Message, 300)));
        }
        if (items.Count > MaxItems)
            text.Append($"\n…and {items.Count - MaxItems} more");
        return text.ToString();
    }

    private static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = mrkdwn.Length <= SectionChars ? mrkdwn : mrkdwn[..(SectionChars - 1)] + "…" },
    };

    private static JsonObject Context(string text) => new()
    {
        ["type"] = "context",
        ["elements"] = new JsonArray { new JsonObject { ["type"] = "mrkdwn", ["text"] = ChannelText.Slack(text) } },
    };

    /// <summary>Slack shows plain_text as it is: no mrkdwn, no links, no mentions.</summary>
    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = false };
}
