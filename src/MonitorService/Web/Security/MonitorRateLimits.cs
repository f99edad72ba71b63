using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using MonitorService.Accounts;
using MonitorService.Web.SignIn;

namespace MonitorService.Web.Security;

/// <summary>
/// ASP.NET Core's rate limiter for the web host. Every request counts against its client address (a backstop);
/// dashboard requests also against the signed-in user, API requests against the token presented, and requests
/// with neither against a small budget of their address. Posted sign-in forms and single sign-on callbacks have a
/// budget per address of their own (per account: <see cref="SignIn.SignInThrottle"/>). Partitions are chosen before any database work, so a
/// caller guessing tokens is limited before a guess is looked up.
/// </summary>
public static class MonitorRateLimits
{
    public const string DashboardPolicy = "dashboard";
    public const string ApiPolicy = "api";

    public static IServiceCollection AddMonitorRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<WebOptions>>((o, web) =>
        {
            var limits = web.Value.RateLimits;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, ct) => new ValueTask(RateLimitRejection.WriteAsync(context.HttpContext, context.Lease, ct));
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => Window("address:" + ClientAddress.Key(http), limits.PerAddress, limits.Window)),
                // The single sign-on callback runs before any endpoint policy (see UseMonitorAccessControl): its
                // sign-in budget is applied here. Each callback costs a token exchange with the provider.
                PartitionedRateLimiter.Create<HttpContext, string>(http => SingleSignOn.IsCallback(http)
                    ? Window("sign-in:" + ClientAddress.Key(http), limits.SignInPerAddress, limits.Window)
                    : RateLimitPartition.GetNoLimiter("")));
            o.AddPolicy(DashboardPolicy, http => DashboardPartition(http, limits));
            o.AddPolicy(ApiPolicy, http => ApiPartition(http, limits));
        });
        return services;
    }

    private static RateLimitPartition<string> DashboardPartition(HttpContext http, RateLimitOptions limits)
    {
        if (HttpMethods.IsPost(http.Request.Method) && http.Request.Path.Equals("/login", StringComparison.OrdinalIgnoreCase))
            return Window("sign-in:" + ClientAddress.Key(http), limits.SignInPerAddress, limits.Window);
        if (http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } user)
            return Window("user:" + user, limits.PerUser, limits.Window);
        return Window("anonymous:" + ClientAddress.Key(http), limits.PerAnonymousAddress, limits.Window);
    }

    private static RateLimitPartition<string> ApiPartition(HttpContext http, RateLimitOptions limits)
    {
        // The token as presented, hashed: a real token always lands in its own partition; made-up ones are each new
        // but all count against their address above.
        var header = http.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header["Bearer ".Length..].Trim() is var token
            && token.StartsWith(ApiTokens.SecretPrefix, StringComparison.Ordinal) && token.Length <= ApiTokens.MaxSecretLength)
            return Window("token:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token))), limits.PerToken, limits.Window);
        return Window("anonymous:" + ClientAddress.Key(http), limits.PerAnonymousAddress, limits.Window);
    }

    private static RateLimitPartition<string> Window(string key, int permits, TimeSpan window) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0, // refuse at once rather than hold connections open
            AutoReplenishment = true,
        });
}
