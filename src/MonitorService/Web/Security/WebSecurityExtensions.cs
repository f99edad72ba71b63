using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using MonitorService.Settings;
using MonitorService.Web.SignIn;

namespace MonitorService.Web.Security;

/// <summary>The web host's perimeter: trusted proxies, request size caps, cookie flags, rate limits, and their order.</summary>
public static class WebSecurityExtensions
{
    public static IServiceCollection AddMonitorWebSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<WebOptions>(configuration.GetSection(WebOptions.SectionName), o => o.Validate());

        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<WebOptions>>((o, web) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // ASP.NET Core trusts loopback by default; we trust only what is configured.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in web.Value.ProxyAddresses())
                o.KnownProxies.Add(proxy);
            foreach (var network in web.Value.ProxyNetworks())
                o.KnownIPNetworks.Add(network);
            // A chain of configured proxies is followed to the first address that is not one of them.
            o.ForwardLimit = null;
        });

        // Caps applied before anything reads a body: Kestrel refuses a larger body (413), forms cannot hold more.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<WebOptions>>((o, web) => o.Limits.MaxRequestBodySize = web.Value.MaxRequestBodyBytes);
        services.AddOptions<FormOptions>().Configure<IOptions<WebOptions>>((o, web) =>
        {
            o.ValueLengthLimit = (int)web.Value.MaxRequestBodyBytes;
            o.MultipartBodyLengthLimit = web.Value.MaxRequestBodyBytes;
            o.ValueCountLimit = 64;
        });

        // Every cookie we set is HttpOnly, SameSite=Strict, and Secure whenever the request came over HTTPS.
        services.Configure<CookiePolicyOptions>(o =>
        {
            o.MinimumSameSitePolicy = SameSiteMode.Strict;
            o.HttpOnly = HttpOnlyPolicy.Always;
            o.Secure = CookieSecurePolicy.SameAsRequest;
        });

        services.AddMonitorRateLimits();
        return services;
    }

    /// <summary>
    /// First in the pipeline: the client's address and scheme as the proxy saw them, the security headers, cookie
    /// flags, and the body cap.
    /// </summary>
    public static WebApplication UseMonitorPerimeter(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMonitorSecurityHeaders();
        app.UseCookiePolicy();
        app.UseMonitorRequestBodyCap();
        return app;
    }

    /// <summary>
    /// Who is calling, then how often, then whether they may: the cookie session is read before the rate limiter (so
    /// dashboard requests count per user), API tokens are looked up only after it (so guesses are limited first).
    /// </summary>
    public static WebApplication UseMonitorAccessControl(this WebApplication app)
    {
        app.UseRouting();
        // The single sign-on callback is answered inside UseAuthentication and never reaches the limiter below: it
        // gets its own pass through the limiter first (the per-address backstop and the sign-in budget).
        if (app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Oidc.Enabled)
            app.UseWhen(SingleSignOn.IsCallback, callback => callback.UseRateLimiter());
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }
}
