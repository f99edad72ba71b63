using Microsoft.AspNetCore.Authentication;
using MonitorService.Accounts;
using MonitorService.Web.Queries;
using MonitorService.Web.Security;

namespace MonitorService.Web.Api;

/// <summary>The JSON API under <c>/api/v1</c>: bearer tokens, problem+json errors, an OpenAPI document.</summary>
public static class ApiServiceCollectionExtensions
{
    public const string ApiPolicy = "Api";

    public static IServiceCollection AddMonitorApi(this IServiceCollection services)
    {
        services.AddMonitorAccounts();
        services.AddSingleton<DomainQueries>();
        services.AddSingleton<DomainListQueries>();
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(MonitorClaims.ApiTokenScheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, p => p.AddAuthenticationSchemes(MonitorClaims.ApiTokenScheme).RequireAuthenticatedUser());
        services.AddProblemDetails();
        services.AddOpenApi("v1", o => o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true);
        return services;
    }

    public static WebApplication MapMonitorApi(this WebApplication app)
    {
        // Errors under /api are problem+json, also for bare status codes (404 of an unknown route, 405, a bad body).
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
        // Every API request, the document included, needs a token and counts against its rate limit.
        app.MapOpenApi().RequireAuthorization(ApiPolicy).RequireRateLimiting(MonitorRateLimits.ApiPolicy);
        DomainEndpoints.Map(app.MapGroup("/api/v1").RequireAuthorization(ApiPolicy).RequireRateLimiting(MonitorRateLimits.ApiPolicy).WithTags("domains"));
        ChannelEndpoints.Map(app.MapGroup("/api/v1").RequireAuthorization(ApiPolicy).RequireRateLimiting(MonitorRateLimits.ApiPolicy).WithTags("channels"));
        PlanEndpoints.Map(app.MapGroup("/api/v1").RequireAuthorization(ApiPolicy).RequireRateLimiting(MonitorRateLimits.ApiPolicy).WithTags("plans"));
        DraftEndpoints.Map(app.MapGroup("/api/v1").RequireAuthorization(ApiPolicy).RequireRateLimiting(MonitorRateLimits.ApiPolicy).WithTags("plans"));
        TlsRptEndpoints.Map(app.MapGroup("/api/v1").RequireAuthorization(ApiPolicy).RequireRateLimiting(MonitorRateLimits.ApiPolicy).WithTags("tlsrpt"));
        return app;
    }
}
