using Microsoft.AspNetCore.Mvc.RazorPages;
using MonitorService.Accounts;

namespace MonitorService.Web.Pages;

/// <summary>Base of the signed-in pages: the caller's team scope, resolved once per request.</summary>
public abstract class DashboardPage(TeamAccess access) : PageModel
{
    protected Task<TeamScope> ScopeAsync() => access.ScopeAsync(User, HttpContext.RequestAborted);
}
