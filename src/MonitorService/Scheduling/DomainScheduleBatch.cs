using Microsoft.Extensions.Logging;
using Quartz;

namespace MonitorService.Scheduling;

/// <summary>What <see cref="DomainScheduleBatch.ApplyAsync"/> did with a chunk of domains, and what it left to do one at a time.</summary>
/// <param name="Created">Domains whose job and recurring trigger this call stored.</param>
/// <param name="FirstChecks">Of those, the never-checked domains whose first check this call stored.</param>
/// <param name="Unchanged">Domains whose stored schedule already matched.</param>
/// <param name="OneByOne">Domains for <see cref="IDomainSchedule.ScheduleAsync"/>: changed, off the grid, or raced by another node.</param>
public sealed record ScheduleBatchOutcome(int Created, int FirstChecks, int Unchanged, IReadOnlyList<DomainScheduleEntry> OneByOne);

/// <summary>
/// Creates and removes many domains' schedules at once, for the reconciler: what the store holds of a chunk is read in one
/// statement (<see cref="StoredScheduleReader"/>, or handed in from one read of the whole store), the missing schedules are
/// created with set-based SQL in one short transaction (<see cref="ScheduleRowWriter"/>), and only the domains that need
/// more (a changed interval, an off-grid trigger, a job stored without its trigger) go back for the one-at-a-time path.
/// </summary>
/// <remarks>
/// "Exactly one node starts a new domain's first check" holds: the writer gives triggers, the first check included, only to
/// the domains whose job its own transaction inserted, under the cluster's trigger lock.
/// </remarks>
public sealed class DomainScheduleBatch(
    ISchedulerFactory schedulerFactory,
    StoredScheduleReader reader,
    ScheduleRowWriter writer,
    ReconcilePacing pacing,
    SchedulingOptions options,
    TimeProvider clock,
    ILogger<DomainScheduleBatch> logger)
{
    /// <summary>
    /// Plans <paramref name="entries"/> (enabled domains) against <paramref name="stored"/>, or against a fresh read of the store
    /// when null, creates the missing schedules, and returns the domains that need one-by-one work.
    /// </summary>
    public async Task<ScheduleBatchOutcome> ApplyAsync(
        IReadOnlyList<DomainScheduleEntry> entries, CancellationToken cancellationToken, IReadOnlyDictionary<Guid, StoredSchedule>? stored = null)
    {
        stored ??= await reader.ReadAsync([.. entries.Select(e => e.DomainId)], cancellationToken);
        var plan = ReconcilePlan.For(entries, stored, clock.GetUtcNow(), options.JitterFraction);
        if (plan.Create.Count == 0)
        {
            return new ScheduleBatchOutcome(0, 0, plan.Unchanged, plan.OneByOne);
        }
        // Only before writing: a pass that finds everything scheduled (a restart) reads and compares at full speed.
        await pacing.YieldToDueChecksAsync(cancellationToken);
        var created = await CreateAsync(plan.Create, cancellationToken);
        return new ScheduleBatchOutcome(created.Created.Count, created.FirstChecks, plan.Unchanged, [.. plan.OneByOne, .. created.AlreadyStored]);
    }

    /// <summary>
    /// Stores the job, the recurring trigger and (never-checked domains) the first check of every domain in <paramref name="entries"/>
    /// whose job is not stored yet, in one transaction; the others are returned untouched.
    /// </summary>
    public async Task<CreatedSchedules> CreateAsync(IReadOnlyCollection<DomainScheduleEntry> entries, CancellationToken cancellationToken)
    {
        var created = await writer.CreateAsync(entries, cancellationToken);
        if (created.Created.Count == 0)
        {
            return created;
        }
        logger.LogInformation("Scheduled checks of {Count} new domains, {FirstChecks} of them with a first check", created.Created.Count, created.FirstChecks);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            foreach (var entry in entries.Where(e => created.Created.Contains(e.DomainId)))
            {
                logger.LogDebug("Scheduled checks of domain {DomainId} every {Interval} (first check: {FirstCheck})", entry.DomainId, entry.Interval, entry.NeverChecked);
            }
        }
        return created;
    }

    /// <summary>Removes the jobs (with every trigger) of <paramref name="domainIds"/>, in one transaction per chunk; returns how many were stored.</summary>
    public async Task<int> RemoveAsync(IReadOnlyCollection<Guid> domainIds, CancellationToken cancellationToken)
    {
        if (domainIds.Count == 0)
        {
            return 0;
        }
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var removed = 0;
        foreach (var chunk in domainIds.Chunk(options.ReconcileBatchSize))
        {
            var deleted = await scheduler.DeleteJobs([.. chunk.Select(ScheduleKeys.Job)], cancellationToken);
            removed += deleted.Count;
            foreach (var job in deleted)
            {
                if (ScheduleKeys.TryParseDomainId(job.Name, out var domainId))
                {
                    logger.LogDebug("Removed the checks of domain {DomainId}", domainId);
                }
            }
        }
        if (removed > 0)
        {
            logger.LogInformation("Removed the checks of {Count} domains", removed);
        }
        return removed;
    }
}
