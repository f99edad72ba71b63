using MonitorService.Accounts;
using MonitorService.Storage.Entities;

namespace MonitorService.Web.Pages.Teams;

public sealed class IndexModel(TeamAccess access, UserDirectory directory) : DashboardPage(access)
{
    public IReadOnlyList<Team> Teams { get; private set; } = [];

    public async Task OnGetAsync() => Teams = await directory.TeamsAsync(await ScopeAsync(), HttpContext.RequestAborted);
}
