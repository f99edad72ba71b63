using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MonitorService.Storage.Entities;
using MonitorService.Web.Security;
using MonitorService.Web.SignIn;

namespace MonitorService.Web.Pages;

/// <summary>
/// Password sign-in. One answer for an unknown address, a wrong password and a locked account; attempts are rate
/// limited per client address (the rate limiter) and per account (<see cref="SignInThrottle"/>), never locked out.
/// </summary>
public sealed class LoginModel(
    PasswordCheck passwords, SignInManager<MonitorUser> signIn, SignInThrottle throttle, KnownBrowserCookie knownBrowser, ILogger<LoginModel> logger) : PageModel
{
    public const string WrongAnswer = "Wrong e-mail address or password.";

    // Longer input is never right (addresses are at most 254 characters); refusing it costs no hashing.
    private const int MaxEmailLength = 256;
    private const int MaxPasswordLength = 1024;

    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
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
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
