using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using MonitorService.Accounts;

namespace MonitorService.Web.Api;

/// <summary>
/// <c>Authorization: Bearer mts_...</c>: a live team token signs the request in as that team. Cookies are never
/// accepted on the API, so a browser session cannot be ridden by another site (no CSRF surface).
/// </summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var token = await tokens.FindAsync(header["Bearer ".Length..].Trim(), Context.RequestAborted);
        if (token is null)
            return AuthenticateResult.Fail("The token is unknown or revoked.");
        var identity = new ClaimsIdentity(
            [new Claim(MonitorClaims.TeamId, token.TeamId.ToString()), new Claim(MonitorClaims.TokenId, token.Id.ToString()), new Claim(ClaimTypes.Name, token.Name)],
            MonitorClaims.ApiTokenScheme);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), MonitorClaims.ApiTokenScheme));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Results.Problem(statusCode: 401, title: "Authentication required",
            detail: "Send a team API token: Authorization: Bearer <token> (create one on the team page or with: MonitorService tokens create --team NAME).")
            .ExecuteAsync(Context);
    }
}
