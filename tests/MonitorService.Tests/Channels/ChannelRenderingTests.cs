using System.Text.Json;
using MonitorService.Alerts;
using MonitorService.Channels.Rendering;

namespace MonitorService.Tests.Channels;

/// <summary>
/// What a domain publishes ends up in chat messages: a policy line or host name crafted to become a link, a mention
/// or broken JSON must stay text. On plain values (the renderers are pure).
/// </summary>
public sealed class ChannelRenderingTests
{
    private const string Hostile = "mx.evil.test <https://evil.example/login|Open the dashboard> <!channel> <@U024BE7LH> @here & [Reset your password](https://evil.example) [x][r]\n[r]: https://evil.example \"quoted\" \\ \u0007\u202E";

    private static readonly AlertContent Content = new(
        "example.test",
        "MX host " + Hostile + " not covered by the MTA-STS policy",
        new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero),
        [new AlertItem("drift", "DRIFT_MX_NOT_COVERED", "error", Hostile, "The MX host " + Hostile + " is not covered.", "1. Add to the policy:\n   mx: " + Hostile, null)],
        [new AlertItem("drift", "DRIFT_MX_CHANGED", "info", null, "MX set now: " + Hostile, null, null)],
        [],
        new Uri("https://monitor.example.test/domains/example.test"));

    /// <summary>Every string value anywhere in a JSON document.</summary>
    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    /// <summary>The strings Slack parses as mrkdwn: section and context texts.</summary>
    private static IEnumerable<string> Mrkdwn(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object when element.TryGetProperty("type", out var type) && type.GetString() == "mrkdwn" => [element.GetProperty("text").GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Mrkdwn(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Mrkdwn),
        _ => [],
    };

    [Fact]
    public void Slack_text_cannot_become_a_link_or_a_mention()
    {
        var message = JsonDocument.Parse(SlackMessage.Render(Content)).RootElement;
        var texts = Strings(message).ToList();
        var parsed = Mrkdwn(message).Append(message.GetProperty("text").GetString()!).ToList();

        // Slack parses <...> in mrkdwn (links, <!channel>, <@user>) and in the notification text: none may remain.
        Assert.True(parsed.Count >= 4, "sections, context and the notification text");
        Assert.All(parsed, t => Assert.DoesNotContain('<', t));
        Assert.All(parsed, t => Assert.DoesNotContain('>', t));
        var mrkdwn = string.Join("\n", parsed);
        Assert.Contains("&lt;https://evil.example/login|Open the dashboard&gt;", mrkdwn, StringComparison.Ordinal);
        Assert.Contains("&lt;!channel&gt;", mrkdwn, StringComparison.Ordinal);
        Assert.Contains("&amp;", mrkdwn, StringComparison.Ordinal);
        Assert.DoesNotContain("@here", string.Join("\n", texts), StringComparison.Ordinal); // "@\u2060here"
        Assert.Contains("@\u2060here", mrkdwn, StringComparison.Ordinal);
        Assert.DoesNotContain(texts, t => t.Contains('\u0007') || t.Contains('\u202E')); // no control or bidi characters
        // The header is plain_text, which Slack shows as it is (no links, no mentions), so it is not escaped.
        Assert.Equal("plain_text", message.GetProperty("blocks")[0].GetProperty("text").GetProperty("type").GetString());
        Assert.True(message.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString()!.Length <= 150);
        Assert.False(message.GetProperty("unfurl_links").GetBoolean());
    }

    [Fact]
    public void Teams_text_cannot_become_a_markdown_link()
    {
        var message = JsonDocument.Parse(TeamsCard.Render(Content)).RootElement;
        var card = message.GetProperty("attachments")[0].GetProperty("content");
        var texts = Strings(card.GetProperty("body")).ToList();

        Assert.Contains(texts, t => t.Contains("Reset your password", StringComparison.Ordinal)); // the text is there ...
        Assert.DoesNotContain(texts, t => t.Contains("](", StringComparison.Ordinal) || t.Contains("][", StringComparison.Ordinal)
            || t.Contains("]:", StringComparison.Ordinal)); // ... but no [text](url), [text][ref] or [ref]: url can form
        Assert.DoesNotContain(texts, t => t.Contains('\u0007') || t.Contains('\u202E'));
        Assert.Contains(texts, t => t.Contains("[Reset your password]\u200B(https://evil.example) [x]\u200B[r]\u200B", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.StartsWith("   mx: mx.evil.test", StringComparison.Ordinal)); // the fix keeps its lines and indent
        Assert.Equal("Action.OpenUrl", card.GetProperty("actions")[0].GetProperty("type").GetString());
        Assert.Equal("https://monitor.example.test/domains/example.test", card.GetProperty("actions")[0].GetProperty("url").GetString());
    }

    [Fact]
    public void The_webhook_body_is_valid_json_that_carries_the_values_exactly()
    {
        var eventId = Guid.NewGuid();
        var json = WebhookPayload.Render(Content, eventId, "alert");
        var body = JsonDocument.Parse(json).RootElement;

        // Data, not markup: the receiver gets the value as published (JSON escapes it; nothing is lost or added).
        var item = body.GetProperty("new")[0];
        Assert.Equal(Hostile, item.GetProperty("subject").GetString());
        Assert.Equal(eventId, body.GetProperty("eventId").GetGuid());
        Assert.DoesNotContain("<", json, StringComparison.Ordinal); // escaped as \u003C, safe to embed anywhere
        Assert.DoesNotContain("\n", json, StringComparison.Ordinal);
        Assert.Equal("1. Add to the policy:\n   mx: " + Hostile, item.GetProperty("fix").GetString());
    }
}
