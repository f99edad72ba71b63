using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.CookiePolicy;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using MonitorService.Settings;
using MonitorService.Web.Security;

namespace MonitorService.Web.SignIn;

/// <summary>
/// Sign-in settings ("Auth") and, when <c>Auth:Oidc:Authority</c> is set, single sign-on with ASP.NET Core's OpenID
/// Connect handler: the authorization-code flow with PKCE, state and nonce (the handler's defaults, kept), the
/// answer in the query string, claims under the provider's own names.
/// </summary>
public static class SingleSignOn
{
    public const string Scheme = "oidc";

    /// <summary>The redirect URI to register at the provider is https://HOST/signin-oidc.</summary>
    public const string CallbackPath = "/signin-oidc";

    /// <summary>The sign-in button's target: starts the flow (GET, so the page's CSP form-action does not apply).</summary>
    public const string StartPath = "/login/sso";

    public const string CorrelationCookiePrefix = "monitor.oidc.correlation.";
    public const string NonceCookiePrefix = "monitor.oidc.nonce.";

    public static IServiceCollection AddMonitorSingleSignOn(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(AuthOptions.SectionName);
        services.AddValidatedOptions<AuthOptions>(section, o => o.Validate());
        if (section.Get<AuthOptions>()?.Oidc.Enabled != true)
            return services;

        services.AddScoped<OidcSignInEvents>();
        services.AddSessionDeadlines();
        services.AddAuthentication().AddOpenIdConnect(Scheme, _ => { });
        services.AddOptions<OpenIdConnectOptions>(Scheme).Configure<IOptions<AuthOptions>>((o, auth) => Configure(o, auth.Value.Oidc));
        services.PostConfigure<CookiePolicyOptions>(o =>
        {
            var previous = o.OnAppendCookie;
            o.OnAppendCookie = context =>
            {
                previous?.Invoke(context);
                // The provider sends the browser back with a cross-site navigation: the handler's correlation and
                // nonce cookies must come along on it, which SameSite=Strict (every other cookie) would prevent. Lax
                // sends them on top-level GETs only; they hold no session, and the state they pair with is signed.
                if (context.CookieName.StartsWith(CorrelationCookiePrefix, StringComparison.Ordinal)
                    || context.CookieName.StartsWith(NonceCookiePrefix, StringComparison.Ordinal))
                    context.CookieOptions.SameSite = SameSiteMode.Lax;
            };
        });
        return services;
    }

    private static void Configure(OpenIdConnectOptions o, OidcOptions oidc)
    {
        o.Authority = oidc.Authority!.Trim();
        o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
        o.ClientId = oidc.ClientId;
        o.ClientSecret = string.IsNullOrEmpty(oidc.ClientSecret) ? null : oidc.ClientSecret;
        o.ResponseType = OpenIdConnectResponseType.Code;
        // The code comes back in the query string (a GET), so the SameSite=Lax cookies above come with it; form_post
        // would need SameSite=None. PKCE, state and nonce are the handler's defaults and stay on.
        o.ResponseMode = OpenIdConnectResponseMode.Query;
        o.UsePkce = true;
        o.Scope.Clear();
        foreach (var scope in oidc.ScopeList())
            o.Scope.Add(scope);
        o.MapInboundClaims = false;
        o.GetClaimsFromUserInfoEndpoint = false;
        o.SaveTokens = false;
        o.DisableTelemetry = true;
        o.CallbackPath = CallbackPath;
        // Unused: OidcSignInEvents signs in through SignInManager and answers itself.
        o.SignInScheme = IdentityConstants.ApplicationScheme;
        o.EventsType = typeof(OidcSignInEvents);
        o.Backchannel = OidcBackchannel.Create(oidc);
        o.BackchannelTimeout = oidc.BackchannelTimeout;
        o.CorrelationCookie.Name = CorrelationCookiePrefix;
        o.NonceCookie.Name = NonceCookiePrefix;
        foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
        {
            cookie.SameSite = SameSiteMode.Lax;
            cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.HttpOnly = true;
        }
    }

    /// <summary>The sign-in button's endpoint: a challenge that comes back to a local address only.</summary>
    public static WebApplication MapMonitorSingleSignOn(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<AuthOptions>>().Value.Oidc.Enabled)
            return app;
        app.MapGet(StartPath, StartAsync).AllowAnonymous().RequireRateLimiting(MonitorRateLimits.DashboardPolicy);
        return app;
    }

    /// <summary>
    /// The challenge reads the provider's metadata first (then caches it). A provider that is down, slow past
    /// Auth:Oidc:BackchannelTimeout or answers more than <see cref="OidcOptions.MaxResponseBytes"/> gets the person a
    /// sentence on the sign-in page instead of an error page, and the log the reason.
    /// </summary>
    private static async Task StartAsync(HttpContext http, string? returnUrl, ILogger<OidcSignInEvents> logger)
    {
        try
        {
            await http.ChallengeAsync(Scheme, new AuthenticationProperties { RedirectUri = LocalReturnUrl.OrHome(returnUrl) });
        }
        catch (InvalidOperationException e) when (!http.RequestAborted.IsCancellationRequested && !http.Response.HasStarted)
        {
            // What the metadata retriever throws for every failure to fetch or read the document (its cause inside).
            logger.LogWarning("Cannot start single sign-on: {Reason}", FailureText.Of(e));
            http.Response.Clear();
            http.Response.Redirect(SsoOutcome.PathFor(SsoOutcome.Unavailable));
        }
    }

    /// <summary>The provider's answer, handled inside the authentication middleware before the rate limiter runs.</summary>
    public static bool IsCallback(HttpContext http) => http.Request.Path.Equals(CallbackPath, StringComparison.OrdinalIgnoreCase);
}
