using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using MonitorService.Accounts;
using MonitorService.Channels;
using MonitorService.Storage.Entities;
using MonitorService.TlsRpt.Views;

namespace MonitorService.Web.Pages.Teams;

/// <summary>A team's members, alert settings, alert channels and API tokens. A new token's secret is shown on this response only.</summary>
public sealed class SettingsModel(TeamAccess access, UserDirectory directory, TeamAlertSettings alerts, ApiTokens tokens, UserManager<MonitorUser> users,
    AlertChannelService channels, IOptions<TlsRptAddressOptions> tlsRptAddresses) : DashboardPage(access)
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }

    public Team Team { get; private set; } = null!;
    public IReadOnlyList<MonitorUser> Members { get; private set; } = [];
    public IReadOnlyList<ApiToken> Tokens { get; private set; } = [];
    /// <summary>The team's alert channels, each with its "send a test" button (handled by the channels page).</summary>
    public IReadOnlyList<AlertChannel> Channels { get; private set; } = [];
    /// <summary>Where senders must send reports for this team to see them (empty when the service names no address of its own).</summary>
    public IReadOnlyList<string> TlsRptAddresses => tlsRptAddresses.Value.For(Team.TlsRptKey).Team;
    public string? NewSecret { get; private set; }
    public bool IsAdministrator { get; private set; }

    public const string OnlyAdministrators = "Members are added by an administrator (on this page, or with: MonitorService users add EMAIL --team NAME).";
    public List<string> Messages { get; } = [];

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostAlertsAsync(string incidentThreshold, string driftThreshold, string? digestRecipients,
        string? digestDay, string? digestTime, string? timeZone, bool digestEnabled)
    {
        if (!await LoadAsync())
            return NotFound();
        DayOfWeek? day = Enum.TryParse<DayOfWeek>(digestDay, out var d) ? d : null;
        TimeOnly? at = TimeOnly.TryParse(digestTime, System.Globalization.CultureInfo.InvariantCulture, out var t) ? t : null;
        var input = new TeamAlertSettingsInput(incidentThreshold, driftThreshold, digestRecipients?.Split(',') ?? [], day, at, timeZone, digestEnabled);
        var problems = await alerts.SaveAsync(Id, input, HttpContext.RequestAborted);
        Messages.AddRange(problems.Count > 0 ? problems : ["Alert settings saved."]);
        await LoadAsync();
        return Page();
    }

    /// <summary>
    /// Administrators only: they create the accounts, so telling them whether one exists discloses nothing. Anyone
    /// else gets the same answer for every address, and nothing changes: otherwise "added" against "no such user"
    /// (and the member list) would let any team member probe which accounts exist.
    /// </summary>
    public async Task<IActionResult> OnPostAddMemberAsync(string? email)
    {
        if (!await LoadAsync())
            return NotFound();
        if (!IsAdministrator)
        {
            Messages.Add(OnlyAdministrators);
            return Page();
        }
        var address = (email ?? "").Trim();
        var user = address.Length <= 256 ? await users.FindByEmailAsync(address) : null;
        if (user is null)
            Messages.Add($"There is no user {address}; create users with: MonitorService users add EMAIL --team NAME.");
        else
            Messages.Add(await directory.AddMemberAsync(Id, user.Id, HttpContext.RequestAborted) ? $"{user.Email} added." : $"{user.Email} is already a member.");
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveMemberAsync(Guid userId)
    {
        if (!await LoadAsync())
            return NotFound();
        await directory.RemoveMemberAsync(Id, userId, HttpContext.RequestAborted);
        Messages.Add("Member removed.");
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostCreateTokenAsync(string name)
    {
        if (!await LoadAsync())
            return NotFound();
        try
        {
            (_, NewSecret) = await tokens.CreateAsync(Id, name ?? "", User.Identity?.Name ?? "dashboard", HttpContext.RequestAborted);
        }
        catch (AccountRequestException e)
        {
            Messages.Add(e.Message);
        }
        // Never cache a page that carries a secret.
        Response.Headers.CacheControl = "no-store";
        await LoadAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeTokenAsync(Guid tokenId)
    {
        if (!await LoadAsync())
            return NotFound();
        Messages.Add(await tokens.RevokeAsync(Id, tokenId, HttpContext.RequestAborted) ? "Token revoked." : "That token was already revoked.");
        await LoadAsync();
        return Page();
    }

    private async Task<bool> LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        var scope = await ScopeAsync();
        var team = (await directory.TeamsAsync(scope, ct)).FirstOrDefault(t => t.Id == Id);
        if (team is null)
            return false;
        IsAdministrator = scope.All;
        Team = team;
        Members = await directory.MembersAsync(Id, ct);
        Tokens = await tokens.ListAsync(Id, ct);
        Channels = await channels.ListAsync(Id, ct);
        return true;
    }
}
