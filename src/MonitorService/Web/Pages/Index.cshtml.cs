using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using MonitorService.Accounts;
using MonitorService.Scheduling;
using MonitorService.Storage.Entities;
using MonitorService.Web.Queries;
using MonitorService.Web.SignIn;

namespace MonitorService.Web.Pages;

/// <summary>The domains list: status, mode, checks, incidents and a history strip; filtered, sorted, 50 a page.</summary>
public sealed class IndexModel(
    TeamAccess access, DomainListQueries queries, UserDirectory directory, IDomainSchedule schedule, TimeProvider time, IOptions<AuthOptions> auth) : DashboardPage(access)
{
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public Guid? Team { get; set; }
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string Sort { get; set; } = "name";
    [BindProperty(SupportsGet = true, Name = "page")] public int PageNumber { get; set; } = 1;

    public Paged<DomainRow> Rows { get; private set; } = new([], 1, 50, 0);
    public IReadOnlyList<Team> Teams { get; private set; } = [];
    public Dictionary<Guid, DateTimeOffset?> NextChecks { get; } = [];
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Signed in but a member of no team (and no administrator): there is nothing to show, and the page says why.</summary>
    public bool NoTeam { get; private set; }

    /// <summary>The claim teams come from at sign-in, when single sign-on is on.</summary>
    public string? TeamClaim => auth.Value.Oidc.Enabled ? auth.Value.Oidc.TeamClaim : null;

    public async Task OnGetAsync()
    {
        var scope = await ScopeAsync();
        NoTeam = scope is { All: false, TeamIds.Count: 0 };
        Teams = await directory.TeamsAsync(scope, HttpContext.RequestAborted);
        var status = DomainListQuery.Statuses.Contains(Status) ? Status : null;
        Sort = DomainListQuery.Sorts.Contains(Sort) ? Sort : "name";
        if (Q?.Length > DomainListQuery.MaxSearchLength)
            Q = Q[..DomainListQuery.MaxSearchLength];
        // Out of range shows the first or an empty page rather than failing.
        PageNumber = Paging.Clamp(PageNumber, 50).Page;
        Rows = await queries.ListAsync(scope, new DomainListQuery(status, Team, Q, Sort, PageNumber, 50), HttpContext.RequestAborted);
        var next = await schedule.NextChecksAsync([.. Rows.Items.Where(r => r.Enabled).Select(r => r.Id)], HttpContext.RequestAborted);
        foreach (var row in Rows.Items)
            NextChecks[row.Id] = row.Enabled && next.TryGetValue(row.Id, out var at) ? at : null;
    }

    public string PageUrl(int page) =>
        QueryString.Create(new Dictionary<string, string?> { ["status"] = Status, ["team"] = Team?.ToString(), ["q"] = Q, ["sort"] = Sort, ["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            .Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent() is var qs ? "/" + qs : "/";
}
