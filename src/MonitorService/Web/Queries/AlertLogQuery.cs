using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Web.Queries;

/// <summary>One mail of a team's alert log with every delivery attempt.</summary>
public sealed record AlertLogEntry(OutboxMessage Message, string? Domain, IReadOnlyList<DeliveryAttempt> Attempts);

/// <summary>A team's mail, newest first: alerts and resolutions of its domains, and its digests.</summary>
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
        return messages.Select(m => new AlertLogEntry(m, m.DomainId is { } id && names.TryGetValue(id, out var name) ? name : null, attempts[m.Id].ToList())).ToList();
    }
}
