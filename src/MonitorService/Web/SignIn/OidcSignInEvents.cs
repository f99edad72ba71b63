using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MonitorService.Accounts.Provider;
using MonitorService.Storage.Entities;

namespace MonitorService.Web.SignIn;

/// <summary>
/// What happens when the provider sends someone back. The handler has checked state, nonce, PKCE and the ID token;
/// here the token's issuer and subject find or create the account, its teams follow the claim, and the person is
/// signed in with the dashboard's own cookie, exactly as a password sign-in does (same scheme, same claims), so
/// everything after sign-in works the same. Failures go back to the sign-in page with a code, never with the
/// provider's text.
/// </summary>
public sealed class OidcSignInEvents(
    ProviderAccounts accounts, UserManager<MonitorUser> users, SignInManager<MonitorUser> signIn, IOptions<AuthOptions> options,
    TimeProvider time, ILogger<OidcSignInEvents> logger) : OpenIdConnectEvents
{
    /// <summary>The amr claim on sessions that began at the provider.</summary>
    public const string AuthenticationMethod = "oidc";

    private const int MaxLoggedValues = 20;

    public override async Task TicketReceived(TicketReceivedContext context)
    {
        // From here on the response is ours: the handler neither signs in nor redirects by itself.
        context.HandleResponse();
        var oidc = options.Value.Oidc;
        if (IdentityOf(context.Principal, oidc.TeamClaim) is not { } identity)
        {
            logger.LogWarning("The provider's ID token has no sub claim; nobody was signed in");
            context.Response.Redirect(SsoOutcome.PathFor(SsoOutcome.Failed));
            return;
        }
        var mapping = new TeamClaimMapping(oidc.Teams, oidc.AdminClaimValues);
        var result = await accounts.SignInAsync(identity, mapping, context.HttpContext.RequestAborted);
        if (result.User is not { } user)
        {
            logger.LogWarning("Sign-in of {Subject} from {Issuer} with e-mail {Email} refused: {Refusal}", identity.Subject, identity.Issuer, identity.Email, result.Refusal);
            context.Response.Redirect(SsoOutcome.PathFor(SsoOutcome.CodeOf(result.Refusal!.Value)));
            return;
        }
        if (await users.IsLockedOutAsync(user) || !await signIn.CanSignInAsync(user))
        {
            logger.LogWarning("Sign-in of {Email} from {Issuer} refused: the account is locked", user.Email, identity.Issuer);
            context.Response.Redirect(SsoOutcome.PathFor(SsoOutcome.Disabled));
            return;
        }
        // A fixed end besides the usual sliding one: the provider's claim is read again only at a sign-in.
        await signIn.SignInWithClaimsAsync(user, new AuthenticationProperties { IsPersistent = false },
            [new Claim(ClaimTypes.AuthenticationMethod, AuthenticationMethod), SessionDeadline.For(time.GetUtcNow() + oidc.SessionLifetime)]);
        logger.LogInformation("User {Email} signed in through {Issuer} (subject {Subject}, {Account} account): teams {Teams}, administrator {IsAdmin}",
            user.Email, identity.Issuer, identity.Subject, result.Created ? "new" : "existing", result.Teams, result.IsAdmin);
        if (result.Teams.Count == 0 && !result.IsAdmin)
            logger.LogInformation("None of the {Claim} values of {Email} is mapped to a team (Auth:Oidc:Teams): {Values}",
                oidc.TeamClaim, user.Email, identity.GroupValues.Take(MaxLoggedValues).ToList());
        // Not straight to the page: see LoginContinueModel (the session cookie would not come along).
        context.Response.Redirect(Pages.LoginContinueModel.PathFor(context.ReturnUri));
    }

    public override Task AccessDenied(AccessDeniedContext context)
    {
        logger.LogInformation("The provider answered access_denied");
        context.HandleResponse();
        context.Response.Redirect(SsoOutcome.PathFor(SsoOutcome.Denied));
        return Task.CompletedTask;
    }

    public override Task RemoteFailure(RemoteFailureContext context)
    {
        // A missing correlation cookie, a wrong state or nonce, a bad token, an error from the provider, a timeout.
        logger.LogWarning("Single sign-on failed: {Reason}", FailureText.Of(context.Failure));
        context.HandleResponse();
        context.Response.Redirect(SsoOutcome.PathFor(SsoOutcome.Failed));
        return Task.CompletedTask;
    }

    /// <summary>
    /// Front-channel sign-out requests from the provider are not served: the handler would sign out whoever a plain
    /// link on any site sends there. Signing out of the dashboard stays the dashboard's own button.
    /// </summary>
    public override Task RemoteSignOut(RemoteSignOutContext context)
    {
        context.SkipHandler();
        return Task.CompletedTask;
    }

    private static ProviderIdentity? IdentityOf(ClaimsPrincipal? principal, string teamClaim)
    {
        // The handler keeps the token's claim names (MapInboundClaims is off); every claim carries the token's issuer.
        if (principal?.FindFirst("sub") is not { Value.Length: > 0 } subject)
            return null;
        var verified = principal.FindFirst("email_verified")?.Value;
        return new ProviderIdentity(
            subject.Issuer,
            subject.Value,
            principal.FindFirst("email")?.Value,
            bool.TryParse(verified, out var isVerified) ? isVerified : null,
            [.. principal.FindAll(teamClaim).Select(c => c.Value)]);
    }
}
