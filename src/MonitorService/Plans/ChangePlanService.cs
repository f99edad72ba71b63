using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorService.Monitoring;
using MonitorService.Storage;
using MonitorService.Storage.Entities;
using MonitorService.Storage.Snapshots;
using Npgsql;

namespace MonitorService.Plans;

/// <summary>
/// Makes, reads and cancels a domain's plans. Making and cancelling take the domain's check lock (the one
/// <see cref="CheckRecorder"/> holds while a check advances the plan), so a plan never changes under a running check;
/// the partial unique index keeps it to one active plan per domain across nodes.
/// </summary>
public sealed class ChangePlanService(IDbContextFactory<MonitorDbContext> dbFactory, IOptions<PlanOptions> options, TimeProvider time, ILogger<ChangePlanService> logger)
{
    /// <summary>How many ended plans a domain's history shows.</summary>
    public const int HistoryLimit = 50;

    /// <summary>Plans the change from the domain's latest check; <see cref="PlanRequestException"/> when it cannot.</summary>
    public async Task<ChangePlan> CreateAsync(Guid domainId, PlanTarget target, string? createdBy, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({CheckRecorder.LockKey(domainId)})", ct);
        var domain = await db.Domains.FirstOrDefaultAsync(d => d.Id == domainId, ct)
            ?? throw new PlanRequestException(PlanError.NotFound, "The domain does not exist.");
        if (await db.ChangePlans.AnyAsync(p => p.DomainId == domainId && p.State == ChangePlanStates.Active, ct))
            throw ActiveExists(domain.Name);
        var report = await LatestReportAsync(db, domain, ct)
            ?? throw new PlanRequestException(PlanError.Conflict, $"{domain.Name} has not been checked yet; plan the change after its first check.");
        var plan = ChangePlanner.Create(domain.Id, PlanBaseline.FromReport(report), target, Microseconds(time.GetUtcNow()), options.Value.CleanPeriod, createdBy);
        db.ChangePlans.Add(plan);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            throw ActiveExists(domain.Name); // made meanwhile by another request (the lock makes this a safety net)
        }
        await transaction.CommitAsync(ct);
        logger.Created(plan.Id, domain.Name, createdBy, plan.Steps.Count);
        return plan;
    }

    /// <summary>Cancels the active plan; null when there is none. It stays in the history.</summary>
    public async Task<ChangePlan?> CancelAsync(Guid domainId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({CheckRecorder.LockKey(domainId)})", ct);
        var plan = await db.ChangePlans.Include(p => p.Steps).FirstOrDefaultAsync(p => p.DomainId == domainId && p.State == ChangePlanStates.Active, ct);
        if (plan is null)
            return null;
        plan.State = ChangePlanStates.Cancelled;
        plan.EndedAt = time.GetUtcNow();
        plan.Problem = null;
        plan.ProblemKey = null;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        logger.Cancelled(plan.Id, domainId.ToString());
        return plan;
    }

    /// <summary>The active plan, else the most recent ended one; null when the domain never had a plan.</summary>
    public async Task<ChangePlan?> CurrentAsync(Guid domainId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ChangePlans.AsNoTracking().Include(p => p.Steps)
            .Where(p => p.DomainId == domainId)
            .OrderBy(p => p.State != ChangePlanStates.Active).ThenByDescending(p => p.CreatedAt)
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>The domain's plans, newest first (at most <see cref="HistoryLimit"/>).</summary>
    public async Task<IReadOnlyList<ChangePlan>> HistoryAsync(Guid domainId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ChangePlans.AsNoTracking().Include(p => p.Steps)
            .Where(p => p.DomainId == domainId)
            .OrderByDescending(p => p.CreatedAt)
            .Take(HistoryLimit)
            .ToListAsync(ct);
    }

    private static async Task<Checks.Model.CheckReport?> LatestReportAsync(MonitorDbContext db, MonitoredDomain domain, CancellationToken ct)
    {
        if (domain.CurrentObservationId is not { } current)
            return null;
        var content = await db.Observations.AsNoTracking().Where(o => o.Id == current)
            .Join(db.Snapshots, o => o.ReportSnapshotId, s => s.Id, (o, s) => s.Content)
            .FirstOrDefaultAsync(ct);
        return content is null ? null : SnapshotContent.ReadReport(content);
    }

    /// <summary>PostgreSQL keeps microseconds: the plan a request returns is the plan a later read returns.</summary>
    private static DateTimeOffset Microseconds(DateTimeOffset time) => time.AddTicks(-(time.Ticks % 10));

    private static PlanRequestException ActiveExists(string domain) =>
        new(PlanError.Conflict, $"{domain} already has an active change plan; cancel it first to start another.");
}
