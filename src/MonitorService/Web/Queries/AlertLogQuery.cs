using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Web.Queries;

/// <summary>One mail (or alert channel delivery) of a team's alert log with every delivery attempt.</summary>
/// <param name="ChannelName">The alert channel a channel delivery went to; null for mail and for a removed channel.</param>
public sealed record AlertLogEntry(OutboxMessage Message, string? Domain, IReadOnlyList<DeliveryAttempt> Attempts, string? ChannelName = null);

/// <summary>
/// A team's mail and alert channel deliveries, newest first: alerts and resolutions of its domains, channel tests,
/// and its digests.
/// </summary>
public sealed class AlertLogQuery(IDbContextFactory<MonitorDbContext> dbFactory)
{
    public const int PageSize = 50;

    public async Task<IReadOnlyList<AlertLogEntry>> PageAsync(Guid teamId, int page, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var domainIds = db.Domains.Where(d => d.TeamId == teamId).Select(d => (Guid?)d.Id);
        var messages = await db.Outbox.AsNoTracking()
            .Where(m => m.TeamId == teamId || domainIds.Contains(m.DomainId))
            .OrderByDescending(m => m.CreatedAt).ThenBy(m => m.Id)
            .Skip((Math.Clamp(page, 1, Paging.MaxPage) - 1) * PageSize).Take(PageSize)
            .ToListAsync(ct);
        var ids = messages.Select(m => m.Id).ToList();
        var attempts = (await db.DeliveryAttempts.AsNoTracking().Where(a => ids.Contains(a.OutboxMessageId)).OrderBy(a => a.AttemptedAt).ToListAsync(ct))
            .ToLookup(a => a.OutboxMessageId);
        var wantedDomains = messages.Select(m => m.DomainId).OfType<Guid>().Distinct().ToList();
        var names = await db.Domains.AsNoTracking().Where(d => wantedDomains.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, ct);
        var wantedChannels = messages.Select(m => m.ChannelId).OfType<Guid>().Distinct().ToList();
        var channels = await db.AlertChannels.AsNoTracking().Where(c => c.TeamId == teamId && wantedChannels.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        return messages.Select(m => new AlertLogEntry(m, m.DomainId is { } id && names.TryGetValue(id, out var name) ? name : null, attempts[m.Id].ToList(),
            m.ChannelId is { } channel && channels.TryGetValue(channel, out var channelName) ? channelName : null)).ToList();
    }
}
