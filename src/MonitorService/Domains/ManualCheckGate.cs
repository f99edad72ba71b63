using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;

namespace MonitorService.Domains;

/// <summary>
/// "Check now" at most once per <see cref="Spacing"/> per domain, across every node: the grant is a conditional
/// update of the domain's row in the shared database, so of requests racing on different nodes exactly one wins.
/// Scheduled checks and the first check of a new domain do not count.
/// </summary>
public sealed class ManualCheckGate(IDbContextFactory<MonitorDbContext> dbFactory, TimeProvider time)
{
    public static readonly TimeSpan Spacing = TimeSpan.FromMinutes(1);

    public async Task<CheckNowRequest> TryGrantAsync(Guid domainId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var notAfter = now - Spacing;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // PostgreSQL re-evaluates the condition on the row a concurrent winner committed, so a loser sees its time.
        var granted = await db.Domains
            .Where(d => d.Id == domainId && (d.LastManualCheckAt == null || d.LastManualCheckAt <= notAfter))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LastManualCheckAt, now), ct) > 0;
        if (granted)
            return new CheckNowRequest(true, TimeSpan.Zero);
        var last = await db.Domains.AsNoTracking().Where(d => d.Id == domainId).Select(d => d.LastManualCheckAt).FirstOrDefaultAsync(ct);
        var wait = last is { } at ? at + Spacing - now : Spacing;
        return new CheckNowRequest(false, wait > TimeSpan.Zero ? wait : TimeSpan.FromSeconds(1));
    }
}
