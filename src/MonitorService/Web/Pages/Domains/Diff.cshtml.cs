using Microsoft.AspNetCore.Mvc;
using MonitorService.Accounts;
using MonitorService.Storage.Entities;
using MonitorService.Web.Queries;

namespace MonitorService.Web.Pages.Domains;

/// <summary>Side-by-side diff of two policy versions or two MX sets of one domain.</summary>
public sealed class DiffModel(TeamAccess access, DomainQueries queries) : DashboardPage(access)
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty(SupportsGet = true)] public string Kind { get; set; } = "policy";
    [BindProperty(SupportsGet = true)] public long? From { get; set; }
    [BindProperty(SupportsGet = true)] public long? To { get; set; }

    public MonitoredDomain Domain { get; private set; } = null!;
    public VersionView? Older { get; private set; }
    public VersionView? Newer { get; private set; }
    public IReadOnlyList<DiffRow> Rows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        var domain = await queries.GetAsync(await ScopeAsync(), Id, HttpContext.RequestAborted);
        if (domain is null || Kind is not ("policy" or "mx"))
            return NotFound();
        Domain = domain;
        var versions = Kind == "policy" ? await queries.PolicyVersionsAsync(domain, HttpContext.RequestAborted) : await queries.MxVersionsAsync(domain, HttpContext.RequestAborted);
        if (DiffSelection.Pick(versions, From, To) is { } pair)
        {
            (Older, Newer) = pair;
            Rows = LineDiff.Compute(LineDiff.Lines(Older.Text), LineDiff.Lines(Newer.Text));
        }
        return Page();
    }
}
