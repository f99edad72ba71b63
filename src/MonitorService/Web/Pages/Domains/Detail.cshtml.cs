using Microsoft.AspNetCore.Mvc;
using MonitorService.Accounts;
using MonitorService.Checks.Model;
using MonitorService.Domains;
using MonitorService.Plans;
using MonitorService.Scheduling;
using Microsoft.Extensions.Options;
using MonitorService.TlsRpt.Views;
using MonitorService.Storage.Entities;
using MonitorService.Web.Queries;
using MonitorService.Web.Security;

namespace MonitorService.Web.Pages.Domains;

/// <summary>One domain: latest report, MX table, records, sender-cache clock, MX change plan, timeline, versions to diff, settings.</summary>
public sealed class DetailModel(TeamAccess access, DomainQueries queries, DomainRegistry registry, IDomainSchedule schedule, ChangePlanService plans, TlsRptQueries tlsRpt, IOptions<TlsRptAddressOptions> tlsRptAddresses, TimeProvider time) : DashboardPage(access)
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [TempData] public string? Flash { get; set; }
    /// <summary>Days of "What senders saw": 30 or 90.</summary>
    [BindProperty(SupportsGet = true, Name = "senders")] public int? SendersDays { get; set; }

    public MonitoredDomain Domain { get; private set; } = null!;
    public CheckReport? Report { get; private set; }
    public DateTimeOffset? NextCheck { get; private set; }
    public IReadOnlyList<IncidentView> Incidents { get; private set; } = [];
    public IReadOnlyList<CacheWindowView> CacheWindows { get; private set; } = [];
    public Paged<ObservationView> Observations { get; private set; } = new([], 1, 30, 0);
    public Paged<EventView> Events { get; private set; } = new([], 1, 30, 0);
    public IReadOnlyList<VersionView> PolicyVersions { get; private set; } = [];
    public IReadOnlyList<VersionView> MxVersions { get; private set; } = [];
    public PlanPanel Plan { get; private set; } = new(Guid.Empty, null, []);
    public DraftPanel Draft { get; private set; } = DraftPanel.Empty;
    public SendersPanel? Senders { get; private set; }
    public DateTimeOffset Now => time.GetUtcNow();

    public IEnumerable<IGrouping<Severity, Finding>> FindingsBySeverity =>
        (Report?.Findings ?? []).GroupBy(f => f.Severity).OrderByDescending(g => g.Key);

    public async Task<IActionResult> OnGetAsync()
    {
        if (await LoadDomainAsync() is null)
            return NotFound();
        await LoadPageAsync();
        return Page();
    }

    /// <summary>"Try a draft": the page again, with the dry run of what was typed (judged against the stored report, nothing stored).</summary>
    public async Task<IActionResult> OnPostDraftAsync(string? draftPolicy, string? draftMx)
    {
        if (await LoadDomainAsync() is null)
            return NotFound();
        await LoadPageAsync();
        Draft = DraftPanel.Evaluate(Report, draftPolicy, draftMx, time.GetUtcNow());
        return Page();
    }

    private async Task LoadPageAsync()
    {
        var ct = HttpContext.RequestAborted;
        // The card's reads go first, each on its own connection, and run while the page's own reads below take turns
        // on the request's context: the page costs about the longer of the two, not their sum.
        var sendersRead = ReadSendersAsync(ct);
        Report = await queries.LatestReportAsync(Domain, ct);
        NextCheck = Domain.Enabled ? await schedule.NextCheckAsync(Id, ct) : null;
        Incidents = await queries.IncidentsAsync(Domain, openOnly: true, ct);
        CacheWindows = await queries.CacheWindowsAsync(Domain, ct);
        Observations = await queries.ObservationsAsync(Domain, 1, 30, ct);
        Events = await queries.EventsAsync(Id, 1, 30, ct);
        PolicyVersions = await queries.PolicyVersionsAsync(Domain, ct);
        MxVersions = await queries.MxVersionsAsync(Domain, ct);
        Plan = PlanPanel.Of(Id, await plans.HistoryAsync(Id, ct));
        Senders = SendersPanelOf(await sendersRead);
        if (Plan.Active is { } active)
            Plan = Plan with { Senders = PlanSenders.Of(active.CreatedAt, Senders.Summary.Days, Senders.SenderPolicies) };
    }

    private sealed record SendersReads(int Days, TlsRptSummary Summary, IReadOnlyList<SenderPolicyView> Policies, IReadOnlyList<TotalsMismatchView> Mismatches, TlsRptAddressing Addressing);

    private async Task<SendersReads> ReadSendersAsync(CancellationToken ct)
    {
        var days = SendersPanel.RangeOf(SendersDays);
        var range = TlsRptRange.Last(days, time.GetUtcNow());
        // Side by side (each on its own connection): the card costs its slowest read, not the sum of them.
        var summaryRead = tlsRpt.SummaryAsync(Domain, range, ct);
        var policiesRead = tlsRpt.SenderPoliciesAsync(Domain, range, ct);
        var mismatchesRead = tlsRpt.TotalsMismatchesAsync(Domain, range, ct);
        var addressingRead = tlsRpt.AddressingAsync(Domain, ct);
        await Task.WhenAll(summaryRead, policiesRead, mismatchesRead, addressingRead);
        return new SendersReads(days, await summaryRead, await policiesRead, await mismatchesRead, await addressingRead);
    }

    private SendersPanel SendersPanelOf(SendersReads read)
    {
        var addresses = tlsRptAddresses.Value.For(read.Addressing.TeamKey);
        var setup = TlsRptSetupHelp.ForLatest(Domain.Name, Report, addresses, read.Addressing.SharedAddressShown);
        return new SendersPanel(Id, read.Days, read.Summary, SessionChart.Of(read.Summary.Days), read.Policies, read.Mismatches, setup, addresses.Team);
    }

    /// <summary>Polled by dashboard.js while a check is pending: the page reloads once when the check has run.</summary>
    public async Task<IActionResult> OnGetStatusAsync()
    {
        if (await LoadDomainAsync() is null)
            return NotFound();
        return new JsonResult(new { status = Domain.Status, lastCheckedAt = Domain.LastCheckedAt });
    }

    public async Task<IActionResult> OnPostCheckAsync()
    {
        if (await LoadDomainAsync() is null)
            return NotFound();
        var request = await registry.RequestCheckNowAsync(Id, HttpContext.RequestAborted);
        if (!request.Granted)
        {
            Flash = $"Check now is possible once a minute per domain: try again in {RateLimitRejection.Seconds(request.RetryAfter)} s.";
            return Redirect($"/domains/{Id}");
        }
        Flash = "Check queued: this page updates when it has run.";
        return Redirect($"/domains/{Id}?since={Uri.EscapeDataString((Domain.LastCheckedAt ?? DateTimeOffset.MinValue).ToString("O"))}");
    }

    public async Task<IActionResult> OnPostSettingsAsync(int interval, bool enabled, string? recipients)
    {
        if (await LoadDomainAsync() is null)
            return NotFound();
        try
        {
            await registry.UpdateAsync(Id, TimeSpan.FromSeconds(interval), enabled,
                recipients?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [], HttpContext.RequestAborted);
            Flash = "Settings saved.";
        }
        catch (DomainRequestException e)
        {
            Flash = e.Message;
        }
        return Redirect($"/domains/{Id}");
    }

    public async Task<IActionResult> OnPostPlanAsync(string? newMx, string? mode, long? maxAge)
    {
        if (await LoadDomainAsync() is null)
            return NotFound();
        try
        {
            var target = PlanTarget.Parse(newMx is null ? [] : [newMx], mode, maxAge);
            await plans.CreateAsync(Id, target, User.Identity?.Name ?? "dashboard", HttpContext.RequestAborted);
            Flash = "Plan made: do step 1 now; every check follows the plan.";
        }
        catch (PlanRequestException e)
        {
            Flash = e.Message;
        }
        return Redirect($"/domains/{Id}#change-plan");
    }

    public async Task<IActionResult> OnPostCancelPlanAsync()
    {
        if (await LoadDomainAsync() is null)
            return NotFound();
        Flash = await plans.CancelAsync(Id, HttpContext.RequestAborted) is null ? "There is no active plan to cancel." : "Plan cancelled; it stays in the history below.";
        return Redirect($"/domains/{Id}#change-plan");
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        if (await LoadDomainAsync() is null)
            return NotFound();
        await registry.RemoveAsync(Id, HttpContext.RequestAborted);
        return Redirect("/");
    }

    private async Task<MonitoredDomain?> LoadDomainAsync()
    {
        var domain = await queries.GetAsync(await ScopeAsync(), Id, HttpContext.RequestAborted);
        if (domain is not null)
            Domain = domain;
        return domain;
    }
}
