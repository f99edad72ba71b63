using System.Text;

namespace MonitorService.Testing;

/// <summary>Configured answer of <see cref="PolicyHttpsServer"/> for the policy URL. Immutable; use the factories.</summary>
public sealed record PolicyResponse
{
    public PolicyBehavior Behavior { get; init; } = PolicyBehavior.Normal;

    public int StatusCode { get; init; } = 200;

    /// <summary>Response body; null sends no body.</summary>
    public string? Body { get; init; }

    /// <summary>Content-Type header value; null sends no Content-Type header at all.</summary>
    public string? ContentType { get; init; } = "text/plain";

    /// <summary>Location header value (for redirects); null sends none.</summary>
    public string? Location { get; init; }

    /// <summary>Any further response headers.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Delay between bytes for <see cref="PolicyBehavior.Trickle"/>.</summary>
    public TimeSpan TrickleInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Body size for <see cref="PolicyBehavior.Huge"/>.</summary>
    public long HugeBodyBytes { get; init; } = 10L * 1024 * 1024;

    /// <summary>When true, <see cref="PolicyBehavior.Huge"/> sends a Content-Length header; otherwise the body is chunked.</summary>
    public bool HugeDeclaresLength { get; init; }

    /// <summary>404 text/plain; the default for anything not configured.</summary>
    public static PolicyResponse NotFound { get; } = new() { StatusCode = 404, Body = "not found\n" };

    /// <summary>200 with the given body and content type ("text/plain" unless told; null = no Content-Type header).</summary>
    public static PolicyResponse Ok(string body, string? contentType = "text/plain") =>
        new() { Body = body, ContentType = contentType };

    /// <summary>200 text/plain with a policy built by <see cref="PolicyText"/>.</summary>
    public static PolicyResponse Policy(string mode, long maxAge, params string[] mx) => Ok(PolicyText(mode, maxAge, mx));

    /// <summary>Any status with an optional body.</summary>
    public static PolicyResponse Status(int statusCode, string? body = null, string? contentType = "text/plain") =>
        new() { StatusCode = statusCode, Body = body, ContentType = body is null ? null : contentType };

    /// <summary>Redirect (302 by default) to <paramref name="location"/>.</summary>
    public static PolicyResponse Redirect(string location, int statusCode = 302) =>
        new() { StatusCode = statusCode, Location = location, Body = null, ContentType = null };

    public static PolicyResponse Hang { get; } = new() { Behavior = PolicyBehavior.Hang };

    public static PolicyResponse RedirectLoop { get; } = new() { Behavior = PolicyBehavior.RedirectLoop, StatusCode = 302, ContentType = null };

    public static PolicyResponse Trickle(TimeSpan? interval = null) =>
        new() { Behavior = PolicyBehavior.Trickle, TrickleInterval = interval ?? TimeSpan.FromSeconds(1) };

    public static PolicyResponse Huge(long bytes = 10L * 1024 * 1024, bool declareLength = false) =>
        new() { Behavior = PolicyBehavior.Huge, HugeBodyBytes = bytes, HugeDeclaresLength = declareLength };

    /// <summary>RFC 8461 policy text with CRLF line endings: version, mode, mx lines, max_age.</summary>
    public static string PolicyText(string mode, long maxAge, params string[] mx)
    {
        var text = new StringBuilder();
        text.Append("version: STSv1\r\n");
        text.Append("mode: ").Append(mode).Append("\r\n");
        foreach (var pattern in mx)
        {
            text.Append("mx: ").Append(pattern).Append("\r\n");
        }

        text.Append("max_age: ").Append(maxAge).Append("\r\n");
        return text.ToString();
    }
}
