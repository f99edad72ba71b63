using System.Globalization;
using System.Threading.RateLimiting;

namespace MonitorService.Web.Security;

/// <summary>The 429 answer: Retry-After in whole seconds, problem+json on the API, a sentence elsewhere.</summary>
public static class RateLimitRejection
{
    public static TimeSpan RetryAfter(RateLimitLease lease, TimeSpan fallback) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : fallback;

    /// <summary>Whole seconds, at least one: what Retry-After carries.</summary>
    public static int Seconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));

    public static async Task WriteAsync(HttpContext context, RateLimitLease lease, CancellationToken ct)
    {
        var seconds = Seconds(RetryAfter(lease, TimeSpan.FromMinutes(1)));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/openapi"))
        {
            await Results.Problem(statusCode: 429, title: "Too many requests",
                detail: $"Too many requests: try again in {seconds} s.").ExecuteAsync(context);
            return;
        }
        var signIn = (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals("/login", StringComparison.OrdinalIgnoreCase))
            || SignIn.SingleSignOn.IsCallback(context);
        var what = signIn
            ? "Too many sign-in attempts from your address"
            : "Too many requests";
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync($"{what}: try again in {seconds} seconds.", ct);
    }
}
