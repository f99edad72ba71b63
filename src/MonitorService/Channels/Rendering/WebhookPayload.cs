using System.Text.Json;
using System.Text.Json.Serialization;
using MonitorService.Alerts;

namespace MonitorService.Channels.Rendering;

/// <summary>
/// The generic webhook's JSON body: the alert mail's content as data — the domain, what changed (each item with its
/// code, severity, subject and message), why it matters (until when cached policies keep acting), the fix, the
/// dashboard link — and the mail's plain text for receivers that only display it. System.Text.Json encodes every
/// string (quotes, control characters, and &lt; &gt; &amp; ' + as \u escapes), so attacker text stays data.
/// </summary>
public static class WebhookPayload
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <param name="type">"alert", "resolution" or "test".</param>
    public static string Render(AlertContent c, Guid eventId, string type) => JsonSerializer.Serialize(new Body(
        type,
        eventId,
        c.Domain,
        c.Headline,
        AlertMailRenderer.Subject(c),
        c.CheckedAt,
        c.New.Select(Item).ToList(),
        c.Context.Select(Item).ToList(),
        c.Resolved.Select(Item).ToList(),
        new Links(c.DashboardLink?.AbsoluteUri),
        AlertMailRenderer.Text(c)), Json);

    private static ItemBody Item(AlertItem i) => new(i.Source, i.Code, i.Severity, i.Subject, i.Message,
        i.Until is null ? null : "Senders that cached an earlier policy keep acting on it until this time.", i.Until, i.Fix, i.Since);

    private sealed record Body(string Type, Guid EventId, string Domain, string Headline, string Summary, DateTimeOffset CheckedAt,
        IReadOnlyList<ItemBody> New, IReadOnlyList<ItemBody> AlsoChanged, IReadOnlyList<ItemBody> Resolved, Links Links, string Text);

    /// <param name="WhyItMatters">Set when senders' caches keep an earlier policy acting until <paramref name="Until"/>.</param>
    private sealed record ItemBody(string Source, string Code, string Severity, string? Subject, string Message, string? WhyItMatters,
        DateTimeOffset? Until, string? Fix, DateTimeOffset? Since);

    private sealed record Links(string? Dashboard);
}
