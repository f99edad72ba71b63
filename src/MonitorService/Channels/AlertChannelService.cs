using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorService.Accounts;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Channels;

/// <summary>A channel as the dashboard and API change it; null members stay as they are (on creation: the defaults).</summary>
/// <param name="IncidentThreshold">"error" or "warning": the least incident severity that alerts; "team" (or null on
/// creation) follows the team's mail settings.</param>
/// <param name="DriftThreshold">The same for drift events.</param>
public sealed record ChannelInput(string? Name, string? Kind, string? Url, string? IncidentThreshold, string? DriftThreshold, bool? Enabled);

/// <summary>
/// A team's alert channels: create, list, change, remove, new secret. Every call names the team, and every query is
/// limited to it, so a channel of another team is "not found" whatever its id. Secrets are returned once.
/// </summary>
public sealed class AlertChannelService(
    IDbContextFactory<MonitorDbContext> dbFactory,
    ChannelSecrets secrets,
    IOptions<AlertChannelOptions> options,
    TimeProvider time)
{
    /// <summary>The threshold value that follows the team's mail settings.</summary>
    public const string FollowTeam = "team";

    public static readonly string[] Thresholds = [FollowTeam, .. TeamAlertSettings.Thresholds];

    public async Task<IReadOnlyList<AlertChannel>> ListAsync(Guid teamId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AlertChannels.AsNoTracking().Where(c => c.TeamId == teamId).OrderBy(c => c.Name).ToListAsync(ct);
    }

    public async Task<AlertChannel?> GetAsync(Guid teamId, Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AlertChannels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.TeamId == teamId, ct);
    }

    /// <returns>The channel, and for a webhook its signing secret: shown this once, stored only encrypted.</returns>
    /// <exception cref="ChannelRequestException">A value is refused, the name is taken or the team's quota is reached.</exception>
    public async Task<(AlertChannel Channel, string? Secret)> CreateAsync(Guid teamId, ChannelInput input, string createdBy, CancellationToken ct)
    {
        var name = ValidName(input.Name);
        var kind = (input.Kind ?? "").Trim().ToLowerInvariant();
        if (!AlertChannelKinds.All.Contains(kind))
            throw new ChannelRequestException(ChannelError.Invalid, $"The kind is one of {string.Join(", ", AlertChannelKinds.All)}.", "kind");
        var url = ValidUrl(input.Url);
        var secret = kind == AlertChannelKinds.Webhook ? ChannelSecrets.NewSecret() : null;
        var channel = new AlertChannel
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            TeamId = teamId,
            Name = name,
            Kind = kind,
            ProtectedUrl = secrets.ProtectUrl(url),
            UrlDisplay = ChannelUrl.Display(url),
            ProtectedSecret = secret is null ? null : secrets.ProtectSecret(secret),
            IncidentSeverities = Severities(input.IncidentThreshold, "incidentThreshold"),
            DriftSeverities = Severities(input.DriftThreshold, "driftThreshold"),
            Enabled = input.Enabled ?? true,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = createdBy.Length <= 256 ? createdBy : createdBy[..256],
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // The team's row lock makes count-then-insert atomic: two requests at once cannot both take the last place.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM teams WHERE id = {teamId} FOR UPDATE", ct);
        var count = await db.AlertChannels.CountAsync(c => c.TeamId == teamId, ct);
        if (count >= options.Value.MaxPerTeam)
            throw new ChannelRequestException(ChannelError.QuotaReached,
                $"The team has {count} alert channels, as many as Alerts:Webhooks:MaxPerTeam allows; remove one first.");
        if (await db.AlertChannels.AnyAsync(c => c.TeamId == teamId && c.Name == name, ct))
            throw new ChannelRequestException(ChannelError.Duplicate, $"The team already has a channel named \"{name}\".", "name");
        db.AlertChannels.Add(channel);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return (channel, secret);
    }

    /// <returns>Null when the team has no such channel.</returns>
    /// <exception cref="ChannelRequestException">A value is refused or the new name is taken.</exception>
    public async Task<AlertChannel?> UpdateAsync(Guid teamId, Guid id, ChannelInput input, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var channel = await db.AlertChannels.FirstOrDefaultAsync(c => c.Id == id && c.TeamId == teamId, ct);
        if (channel is null)
            return null;
        if (input.Kind is not null && input.Kind.Trim().ToLowerInvariant() != channel.Kind)
            throw new ChannelRequestException(ChannelError.Invalid, "The kind of a channel cannot change; create another channel.", "kind");
        if (input.Name is not null)
        {
            var name = ValidName(input.Name);
            if (name != channel.Name && await db.AlertChannels.AnyAsync(c => c.TeamId == teamId && c.Name == name, ct))
                throw new ChannelRequestException(ChannelError.Duplicate, $"The team already has a channel named \"{name}\".", "name");
            channel.Name = name;
        }
        if (input.Url is not null)
        {
            var url = ValidUrl(input.Url);
            channel.ProtectedUrl = secrets.ProtectUrl(url);
            channel.UrlDisplay = ChannelUrl.Display(url);
        }
        if (input.IncidentThreshold is not null)
            channel.IncidentSeverities = Severities(input.IncidentThreshold, "incidentThreshold");
        if (input.DriftThreshold is not null)
            channel.DriftSeverities = Severities(input.DriftThreshold, "driftThreshold");
        if (input.Enabled is { } enabled)
            channel.Enabled = enabled;
        await db.SaveChangesAsync(ct);
        return channel;
    }

    /// <returns>False when the team has no such channel.</returns>
    public async Task<bool> DeleteAsync(Guid teamId, Guid id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AlertChannels.Where(c => c.Id == id && c.TeamId == teamId).ExecuteDeleteAsync(ct) > 0;
    }

    /// <summary>Replaces a webhook's signing secret (the old one stops working at once).</summary>
    /// <returns>The new secret, shown this once; null when the team has no such webhook channel.</returns>
    public async Task<string?> NewSecretAsync(Guid teamId, Guid id, CancellationToken ct)
    {
        var secret = ChannelSecrets.NewSecret();
        var protectedSecret = secrets.ProtectSecret(secret);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var changed = await db.AlertChannels.Where(c => c.Id == id && c.TeamId == teamId && c.Kind == AlertChannelKinds.Webhook)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ProtectedSecret, protectedSecret), ct);
        return changed == 1 ? secret : null;
    }

    /// <summary>The threshold a channel's stored severities amount to: "team" when it follows the team.</summary>
    public static string ThresholdOf(IReadOnlyCollection<string>? severities) => TeamAlertSettings.ThresholdOf(severities) ?? FollowTeam;

    private static string ValidName(string? text)
    {
        var name = (text ?? "").Trim();
        if (name.Length is 0 or > 100 || name.Any(char.IsControl))
            throw new ChannelRequestException(ChannelError.Invalid, "A channel name is 1 to 100 printable characters.", "name");
        return name;
    }

    private Uri ValidUrl(string? text) =>
        ChannelUrl.Problem(text, options.Value, out var url) is { } problem
            ? throw new ChannelRequestException(ChannelError.Invalid, problem, "url")
            : url!;

    private static List<string>? Severities(string? threshold, string field)
    {
        var value = (threshold ?? FollowTeam).Trim().ToLowerInvariant();
        if (value == FollowTeam)
            return null;
        if (!TeamAlertSettings.Thresholds.Contains(value))
            throw new ChannelRequestException(ChannelError.Invalid, $"A threshold is one of {string.Join(", ", Thresholds)}.", field);
        return TeamAlertSettings.SeveritiesFrom(value);
    }
}
