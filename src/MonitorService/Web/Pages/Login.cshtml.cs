using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using MonitorService.Storage.Entities;
using MonitorService.Web.Security;
using MonitorService.Web.SignIn;

namespace MonitorService.Web.Pages;

/// <summary>
/// The sign-in page: the single sign-on button when a provider is configured, and password sign-in unless
/// <c>Auth:LocalPasswords:Enabled</c> is false. One answer for an unknown address, a wrong password and a locked
/// account; attempts are rate limited per client address (the rate limiter) and per account
/// (<see cref="SignInThrottle"/>), never locked out.
/// </summary>
public sealed class LoginModel(
    PasswordCheck passwords, SignInManager<MonitorUser> signIn, SignInThrottle throttle, KnownBrowserCookie knownBrowser, IOptions<AuthOptions> auth,
    ILogger<LoginModel> logger) : PageModel
{
    public const string WrongAnswer = "Wrong e-mail address or password.";
    public const string PasswordsOff = "Password sign-in is turned off on this service.";

    // Longer input is never right (addresses are at most 254 characters); refusing it costs no hashing.
    private const int MaxEmailLength = 256;
    private const int MaxPasswordLength = 1024;

    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty(SupportsGet = true, Name = "sso")] public string? SsoOutcomeCode { get; set; }
    public string? Error { get; private set; }

    public bool PasswordsEnabled => auth.Value.LocalPasswords.Enabled;

    /// <summary>The provider's name on the button; null without single sign-on.</summary>
    public string? SingleSignOn => auth.Value.Oidc.Enabled ? auth.Value.Oidc.DisplayName : null;

    public string SingleSignOnUrl => LocalReturnUrl.IsLocal(ReturnUrl)
        ? MonitorService.Web.SignIn.SingleSignOn.StartPath + QueryString.Create("returnUrl", ReturnUrl!).ToUriComponent()
        : MonitorService.Web.SignIn.SingleSignOn.StartPath;

    public void OnGet()
    {
        Error = SingleSignOn is { } provider ? SsoOutcome.Message(SsoOutcomeCode, provider) : null;
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!PasswordsEnabled)
        {
            // Refused before any lookup or hashing: with single sign-on only, no password is ever checked.
            logger.LogWarning("Password sign-in refused: Auth:LocalPasswords:Enabled is false");
            Response.StatusCode = StatusCodes.Status403Forbidden;
            Error = PasswordsOff + (SingleSignOn is { } provider ? $" Sign in with {provider}." : "");
            return Page();
        }
        var email = (Email ?? "").Trim();
        if (email.Length > MaxEmailLength)
            email = Email = email[..MaxEmailLength];
        var account = email.ToUpperInvariant(); // as Identity normalises it
        if (throttle.TryAttempt(account, knownBrowser.BrowserOf(Request, account)) is { } wait)
        {
            var seconds = RateLimitRejection.Seconds(wait);
            logger.LogWarning("Sign-in for {Email} throttled for {Seconds} s", email, seconds);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Error = $"Too many sign-in attempts for this address: try again in {seconds} seconds.";
            return Page();
        }
        var password = Password ?? "";
        var user = password.Length <= MaxPasswordLength ? await passwords.VerifyAsync(email, password) : null;
        if (user is null)
        {
            logger.LogWarning("Failed sign-in for {Email}", email);
            Error = WrongAnswer;
            return Page();
        }
        await signIn.SignInAsync(user, isPersistent: false);
        knownBrowser.Issue(Response, account);
        logger.LogInformation("User {Email} signed in", email);
        // Only local addresses: a crafted ?ReturnUrl= must not send people elsewhere after signing in.
        return LocalRedirect(LocalReturnUrl.OrHome(ReturnUrl));
    }
}
