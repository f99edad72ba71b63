using System.Text.Json.Nodes;
using MonitorService.Alerts;
using MonitorService.Monitoring.Drift;

namespace MonitorService.Channels.Rendering;

/// <summary>
/// A Microsoft Teams workflow webhook message: an Adaptive Card (1.4) in the <c>attachments</c> envelope that the
/// "post to a channel when a webhook request is received" workflows take. One container per problem (coloured by
/// severity) with the message, until when cached policies act, and the fix in monospace, one line per block so phones
/// keep the lines; a button to the dashboard. Every text goes through <see cref="ChannelText.Teams"/>.
/// </summary>
public static class TeamsCard
{
    private const int MaxItems = 10;
    private const int MaxFixLines = 12;

    public static string Render(AlertContent c)
    {
        var body = new JsonArray
        {
            Text($"{c.Domain}: {c.Headline}", 300, weight: "Bolder", size: "Medium"),
            Text($"Checked {DriftText.Time(c.CheckedAt)}", 100, subtle: true, spacing: "None"),
        };
        foreach (var item in c.New.Take(MaxItems))
            body.Add(Item(item));
        if (c.New.Count > MaxItems)
            body.Add(Text($"…and {c.New.Count - MaxItems} more: see the dashboard or the alert mail.", 200, subtle: true));
        if (c.Context.Count > 0)
            body.Add(List("Also changed in this check", c.Context));
        if (c.Resolved.Count > 0)
            body.Add(List("Resolved", c.Resolved));
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["msteams"] = new JsonObject { ["width"] = "Full" },
            ["body"] = body,
        };
        if (c.DashboardLink is { } link)
            card["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open in the dashboard", ["url"] = link.AbsoluteUri } };
        var message = new JsonObject
        {
            ["type"] = "message",
            ["summary"] = ChannelText.Line(AlertMailRenderer.Subject(c), 200),
            ["attachments"] = new JsonArray
            {
                new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["contentUrl"] = null, ["content"] = card },
            },
        };
        return message.ToJsonString();
    }

    private static JsonObject Item(AlertItem item)
    {
        var items = new JsonArray
        {
            Text($"{item.Severity.ToUpperInvariant()} · {item.Code}" + (item.Subject is { Length: > 0 } s ? $" · {s}" : ""), 300,
                weight: "Bolder", color: item.Severity switch { "error" => "Attention", "warning" => "Warning", _ => "Default" }),
            Text(ChannelText.Block(item.Message, 1200), 1200),
        };
        if (item.Until is { } until)
            items.Add(Text($"Senders that cached an earlier policy keep acting on it until {DriftText.Time(until)}.", 200, subtle: true));
        if (item.Fix is { Length: > 0 } fix)
        {
            items.Add(Text("Fix", 10, weight: "Bolder"));
            var lines = ChannelText.Block(fix, 2000).Split('\n');
            foreach (var line in lines.Take(MaxFixLines))
                items.Add(Text(line.Length == 0 ? " " : line, 300, monospace: true, spacing: "None"));
            if (lines.Length > MaxFixLines)
                items.Add(Text("…", 5, spacing: "None"));
        }
        return new JsonObject
        {
            ["type"] = "Container",
            ["style"] = item.Severity switch { "error" => "attention", "warning" => "warning", _ => "default" },
            ["items"] = items,
        };
    }

    private static JsonObject List(string title, IReadOnlyList<AlertItem> items)
    {
        var list = new JsonArray { Text(title, 100, weight: "Bolder") };
        foreach (var item in items.Take(MaxItems))
            list.Add(Text($"{item.Code}" + (item.Subject is { Length: > 0 } s ? $" {s}" : "") + $" — {item.Message}", 400, spacing: "Small"));
        if (items.Count > MaxItems)
            list.Add(Text($"…and {items.Count - MaxItems} more", 50, subtle: true));
        return new JsonObject { ["type"] = "Container", ["items"] = list };
    }

    private static JsonObject Text(string text, int max, string? weight = null, string? size = null, string? color = null,
        bool subtle = false, bool monospace = false, string? spacing = null)
    {
        var block = new JsonObject
        {
            ["type"] = "TextBlock",
            ["text"] = ChannelText.Teams(monospace ? ChannelText.Block(text, max) : ChannelText.Line(text, max)),
            ["wrap"] = true,
        };
        if (weight is not null)
            block["weight"] = weight;
        if (size is not null)
            block["size"] = size;
        if (color is not null)
            block["color"] = color;
        if (subtle)
            block["isSubtle"] = true;
        if (monospace)
            block["fontType"] = "Monospace";
        if (spacing is not null)
            block["spacing"] = spacing;
        return block;
    }
}
