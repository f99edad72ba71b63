using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace MonitorService.Web.SignIn;

/// <summary>
/// A fixed end for sessions that began at the identity provider (<c>Auth:Oidc:SessionLifetime</c>), carried as a
/// claim in the session cookie. The dashboard cookie slides (8 hours after the last request), and Identity renews it
/// every 30 minutes when it checks the security stamp: a date in the ticket would move with it. The provider's claim
/// is read only at sign-in, so without a fixed end someone taken out of a group there could keep the team for as
/// long as they stay active.
/// </summary>
public static class SessionDeadline
{
    public const string ClaimType = "monitor:session_end";

    public static Claim For(DateTimeOffset end) =>
        new(ClaimType, end.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64);

    public static bool HasPassed(ClaimsPrincipal principal, DateTimeOffset now) =>
        principal.FindFirst(ClaimType)?.Value is { } value
        && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var end)
        && now.ToUnixTimeSeconds() >= end;

    /// <summary>Ends sessions past their deadline before anything else looks at them, and keeps the claim through renewals.</summary>
    public static IServiceCollection AddSessionDeadlines(this IServiceCollection services)
    {
        services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o =>
        {
            var validate = o.Events.OnValidatePrincipal;
            o.Events.OnValidatePrincipal = async context =>
            {
                var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
                if (context.Principal is { } principal && HasPassed(principal, now))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }
                await validate(context);
            };
        });
        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            var refreshing = o.OnRefreshingPrincipal;
            o.OnRefreshingPrincipal = async context =>
            {
                // The renewed principal is built from the user alone; the deadline must survive it.
                if (context.CurrentPrincipal?.FindFirst(ClaimType) is { } deadline && context.NewPrincipal?.Identity is ClaimsIdentity identity)
                    identity.AddClaim(new Claim(deadline.Type, deadline.Value, deadline.ValueType));
                if (refreshing is not null)
                    await refreshing(context);
            };
        });
        return services;
    }
}
