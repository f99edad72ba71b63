using Microsoft.AspNetCore.Identity;
using MonitorService.Accounts;
using MonitorService.Storage.Entities;
using MonitorService.Web.Queries;
using MonitorService.Web.Security;
using MonitorService.Web.SignIn;

namespace MonitorService.Web;

/// <summary>The server-rendered dashboard: sign-in cookie, Razor Pages, anti-forgery, security headers.</summary>
public static class DashboardServiceCollectionExtensions
{
    public const string DashboardPolicy = "Dashboard";

    public static IServiceCollection AddMonitorDashboard(this IServiceCollection services)
    {
        services.AddMonitorAccounts().AddSignInManager();
        services.AddScoped<PasswordCheck>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<KnownBrowserCookie>();
        services.AddSingleton<DomainQueries>();
        services.AddSingleton<DomainListQueries>();
        services.AddSingleton<AlertLogQuery>();
        services.AddMonitorKeyRingStore();
        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "monitor.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Secure whenever the request came over HTTPS, as a configured proxy reports it (Web:KnownProxies).
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/login";
            o.LogoutPath = "/logout";
            o.AccessDeniedPath = "/login";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(DashboardPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme).RequireAuthenticatedUser());
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "monitor.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.HeaderName = "X-CSRF-Token";
        });
        services.AddRazorPages(o =>
        {
            o.RootDirectory = "/Web/Pages";
            o.Conventions.AuthorizeFolder("/", DashboardPolicy);
            o.Conventions.AllowAnonymousToPage("/Login");
            o.Conventions.AllowAnonymousToPage("/LoginContinue");
        });
        return services;
    }

    /// <summary>The pages and their assets, each request rate limited (per user, or per address before signing in).</summary>
    public static WebApplication MapMonitorDashboard(this WebApplication app)
    {
        app.MapMonitorAssets();
        app.MapRazorPages().RequireRateLimiting(MonitorRateLimits.DashboardPolicy);
        return app;
    }
}
