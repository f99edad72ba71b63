using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MonitorService.Storage.Entities;

namespace MonitorService.Web.Pages;

/// <summary>Password sign-in; five wrong passwords lock the account for 15 minutes (Identity lockout).</summary>
public sealed class LoginModel(SignInManager<MonitorUser> signIn, ILogger<LoginModel> logger) : PageModel
{
    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Error { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await signIn.PasswordSignInAsync(Email.Trim(), Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            logger.LogInformation("User {Email} signed in", Email.Trim());
            // Only local addresses: a crafted ?ReturnUrl= must not send people elsewhere after signing in.
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }
        logger.LogWarning("Failed sign-in for {Email} (locked out: {LockedOut})", Email.Trim(), result.IsLockedOut);
        Error = result.IsLockedOut
            ? "Too many failed attempts: this account is locked for 15 minutes."
            : "Wrong e-mail address or password.";
        return Page();
    }
}
