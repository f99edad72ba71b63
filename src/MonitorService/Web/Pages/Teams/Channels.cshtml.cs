using Microsoft.AspNetCore.Mvc;
using MonitorService.Accounts;
using MonitorService.Channels;
using MonitorService.Storage.Entities;

namespace MonitorService.Web.Pages.Teams;

/// <summary>
/// A team's alert channels: add (a webhook's secret is shown on that response only), change filters, turn off,
/// remove, new secret, and "send a test" (also posted from the team page). Only the team's own channels are found.
/// </summary>
public sealed class ChannelsModel(TeamAccess access, UserDirectory directory, AlertChannelService channels, ChannelTester tester) : DashboardPage(access)
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }

    public Team Team { get; private set; } = null!;
    public IReadOnlyList<AlertChannel> Channels { get; private set; } = [];
    public string? NewSecret { get; private set; }
    public string? NewSecretChannel { get; private set; }
    public List<string> Messages { get; } = [];

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostCreateAsync(string? name, string? kind, string? url, string? incidentThreshold, string? driftThreshold)
    {
        if (!await LoadAsync())
            return NotFound();
        try
        {
            var (channel, secret) = await channels.CreateAsync(Id, new ChannelInput(name, kind, url, incidentThreshold, driftThreshold, true),
                User.Identity?.Name ?? "dashboard", HttpContext.RequestAborted);
            Messages.Add($"Channel \"{channel.Name}\" added. Send a test to see it arrive.");
            ShowSecret(channel.Name, secret);
        }
        catch (ChannelRequestException e)
        {
            Messages.Add(e.Message);
        }
        return await ReloadAsync();
    }

    public async Task<IActionResult> OnPostUpdateAsync(Guid channelId, string? incidentThreshold, string? driftThreshold, bool enabled)
    {
        if (!await LoadAsync())
            return NotFound();
        try
        {
            var updated = await channels.UpdateAsync(Id, channelId, new ChannelInput(null, null, null, incidentThreshold, driftThreshold, enabled), HttpContext.RequestAborted);
            if (updated is null)
                return NotFound();
            Messages.Add($"Channel \"{updated.Name}\" saved.");
        }
        catch (ChannelRequestException e)
        {
            Messages.Add(e.Message);
        }
        return await ReloadAsync();
    }

    public async Task<IActionResult> OnPostTestAsync(Guid channelId)
    {
        if (!await LoadAsync())
            return NotFound();
        var result = await tester.TestAsync(Id, channelId, HttpContext.RequestAborted);
        if (!result.Found)
            return NotFound();
        Messages.Add(result switch
        {
            { RetryAfter: { } wait } => $"This channel was tested moments ago: try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))} s.",
            { Attempt: { Outcome: DeliveryOutcomes.Sent } sent } => $"Test sent: {sent.Destination} answered {sent.Detail}.",
            { Attempt: { } failed } => $"Test not delivered ({failed.Outcome}): {failed.Detail}",
            _ => "Test queued: the delivery job is sending it; see the alert log.",
        });
        return await ReloadAsync();
    }

    public async Task<IActionResult> OnPostNewSecretAsync(Guid channelId)
    {
        if (!await LoadAsync())
            return NotFound();
        var secret = await channels.NewSecretAsync(Id, channelId, HttpContext.RequestAborted);
        if (secret is null)
            return NotFound();
        ShowSecret(Channels.FirstOrDefault(c => c.Id == channelId)?.Name ?? "", secret);
        Messages.Add("New signing secret made; the old one no longer signs anything.");
        return await ReloadAsync();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid channelId)
    {
        if (!await LoadAsync())
            return NotFound();
        if (!await channels.DeleteAsync(Id, channelId, HttpContext.RequestAborted))
            return NotFound();
        Messages.Add("Channel removed.");
        return await ReloadAsync();
    }

    private void ShowSecret(string channel, string? secret)
    {
        if (secret is null)
            return;
        NewSecret = secret;
        NewSecretChannel = channel;
        // Never cache a page that carries a secret.
        Response.Headers.CacheControl = "no-store";
    }

    private async Task<IActionResult> ReloadAsync()
    {
        await LoadAsync();
        return Page();
    }

    private async Task<bool> LoadAsync()
    {
        var ct = HttpContext.RequestAborted;
        var team = (await directory.TeamsAsync(await ScopeAsync(), ct)).FirstOrDefault(t => t.Id == Id);
        if (team is null)
            return false;
        Team = team;
        Channels = await channels.ListAsync(Id, ct);
        return true;
    }
}
