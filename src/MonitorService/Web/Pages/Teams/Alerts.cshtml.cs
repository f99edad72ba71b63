using Microsoft.AspNetCore.Mvc;
using MonitorService.Accounts;
using MonitorService.Web.Queries;

namespace MonitorService.Web.Pages.Teams;

/// <summary>The team's alert log: every mail and alert channel delivery, its state and each delivery attempt with its error.</summary>
public sealed class AlertsModel(TeamAccess access, UserDirectory directory, AlertLogQuery log) : DashboardPage(access)
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public string TeamName { get; private set; } = "";
    public IReadOnlyList<AlertLogEntry> Entries { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        var team = (await directory.TeamsAsync(await ScopeAsync(), ct)).FirstOrDefault(t => t.Id == Id);
        if (team is null)
            return NotFound();
        TeamName = team.Name;
        PageNumber = Paging.Clamp(PageNumber, AlertLogQuery.PageSize).Page;
        Entries = await log.PageAsync(Id, PageNumber, ct);
        return Page();
    }
}
