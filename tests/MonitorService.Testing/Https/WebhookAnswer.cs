namespace MonitorService.Testing;

/// <summary>How <see cref="WebhookReceiver"/> answers a request.</summary>
public enum WebhookBehavior
{
    /// <summary>The configured status, headers and body.</summary>
    Normal,

    /// <summary>200, then a body that never ends (up to <see cref="WebhookReceiver.FloodLimitBytes"/>): a client must stop reading.</summary>
    Flood,

    /// <summary>Read the request and never answer (until the client gives up or the receiver is disposed).</summary>
    Hang,
}

/// <summary>One answer of <see cref="WebhookReceiver"/>.</summary>
public sealed record WebhookAnswer(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null, WebhookBehavior Behavior = WebhookBehavior.Normal)
{
    public static WebhookAnswer Ok(string body = "ok") => new(200, body);

    public static WebhookAnswer Error(int status, string body = "", string? retryAfter = null) =>
        new(status, body, retryAfter is null ? null : new Dictionary<string, string> { ["Retry-After"] = retryAfter });

    public static WebhookAnswer Redirect(string location, int status = 302) => new(status, "", new Dictionary<string, string> { ["Location"] = location });

    public static WebhookAnswer Flood() => new(200, "", null, WebhookBehavior.Flood);

    public static WebhookAnswer Hang() => new(200, "", null, WebhookBehavior.Hang);
}

/// <summary>One request as <see cref="WebhookReceiver"/> received it.</summary>
public sealed record WebhookRequest(DateTimeOffset ReceivedAt, string Method, string Path, string? Host, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
