using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MonitorService.Web.SignIn;

namespace MonitorService.Web.Pages;

/// <summary>
/// Where single sign-on lands before the dashboard. The way back from the provider is a navigation that started on
/// the provider's site, and a browser does not send the SameSite=Strict session cookie on it, nor on the redirects
/// that follow: a plain redirect to the dashboard would find nobody signed in. This page's refresh is a navigation
/// that starts here, on our own site, so the cookie goes along.
/// </summary>
public sealed class LoginContinueModel : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }

    /// <summary>A path on this site only.</summary>
    public string Target => LocalReturnUrl.OrHome(ReturnUrl);

    public void OnGet()
    {
    }

    public static string PathFor(string? returnUrl) =>
        "/login/continue" + QueryString.Create("returnUrl", LocalReturnUrl.OrHome(returnUrl)).ToUriComponent();
}
