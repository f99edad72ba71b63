using Microsoft.EntityFrameworkCore;
using MonitorService.Scheduling;
using MonitorService.Storage;

namespace MonitorService.Domains;

/// <summary>The registered domains' schedules as the store has them.</summary>
public sealed class StoredDomainScheduleSource(IDbContextFactory<MonitorDbContext> dbFactory) : IDomainScheduleSource
{
    public async Task<IReadOnlyList<DomainScheduleEntry>> ListAsync(DateTimeOffset? changedSince, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Domains.AsNoTracking()
            .Where(d => changedSince == null || d.UpdatedAt >= changedSince)
            .Select(d => new { d.Id, d.IntervalSeconds, d.Enabled, NeverChecked = d.LastCheckedAt == null })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new DomainScheduleEntry(r.Id, TimeSpan.FromSeconds(r.IntervalSeconds), r.Enabled, r.NeverChecked)).ToList();
    }
}
