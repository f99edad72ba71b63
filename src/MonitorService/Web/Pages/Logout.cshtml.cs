using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MonitorService.Storage.Entities;

namespace MonitorService.Web.Pages;

/// <summary>Sign-out is a POST with an anti-forgery token: a link on another site cannot sign people out.</summary>
public sealed class LogoutModel(SignInManager<MonitorUser> signIn) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignOutAsync();
        return Redirect("/login");
    }
}
