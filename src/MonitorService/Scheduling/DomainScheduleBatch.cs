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
/// Creates and removes many domains' schedules at once, for the reconciler. One domain at a time (<see cref="QuartzDomainSchedule"/>)
/// costs several clustered-store transactions per domain, each taking the cluster's trigger lock and committing: 40 to 130 domains
/// a second on 2 cores, so a fresh node needed 13 to 40 minutes for 100,000 domains. Here a chunk is read in two batch reads and
/// its new domains are stored with one <see cref="IScheduler.ScheduleJobs"/> call: one transaction, one lock (about 400 domains a
/// second on the same machine; Quartz still writes row by row inside the transaction).
/// </summary>
/// <remarks>
/// "Exactly one node starts a new domain's first check" holds as on the one-by-one path: a new never-checked domain's first check
/// ("manual" trigger) is stored in the same transaction as its job, without replacing, so it is stored only by the node whose
/// insert succeeded. When another node stored any key of the chunk first, the whole insert fails
/// (<see cref="ObjectAlreadyExistsException"/>, nothing stored) and those domains go back to the caller for the one-by-one path,
/// whose <see cref="TriggerConflict.Keep"/> decides under the store's lock who created each schedule.
/// </remarks>
public sealed class DomainScheduleBatch(
    ISchedulerFactory schedulerFactory,
    SchedulingOptions options,
    TimeProvider clock,
    ILogger<DomainScheduleBatch> logger)
{
    /// <summary>
    /// Reads what the store holds of <paramref name="entries"/> (enabled domains, best a few hundred at most: one transaction
    /// holds the cluster's trigger lock while it stores them), creates the missing schedules in one transaction, and returns
    /// the domains that need one-by-one work.
    /// </summary>
    public async Task<ScheduleBatchOutcome> ApplyAsync(IReadOnlyList<DomainScheduleEntry> entries, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var stored = await StoredScheduleReader.ReadAsync(scheduler, [.. entries.Select(e => e.DomainId)], cancellationToken);
        var plan = ReconcilePlan.For(entries, stored, clock.GetUtcNow(), options.JitterFraction);
        if (plan.Create.Count == 0)
        {
            return new ScheduleBatchOutcome(0, 0, plan.Unchanged, plan.OneByOne);
        }
        if (!await TryCreateAsync(plan.Create, cancellationToken))
        {
            return new ScheduleBatchOutcome(0, 0, plan.Unchanged, [.. plan.OneByOne, .. plan.Create]);
        }
        return new ScheduleBatchOutcome(plan.Create.Count, plan.Create.Count(e => e.NeverChecked), plan.Unchanged, plan.OneByOne);
    }

    /// <summary>
    /// Stores the job, the recurring trigger and (never-checked domains) the first check of every domain in <paramref name="entries"/>,
    /// all in one transaction, replacing nothing. Returns false, having stored nothing, when any of those keys is already stored.
    /// </summary>
    public async Task<bool> TryCreateAsync(IReadOnlyCollection<DomainScheduleEntry> entries, CancellationToken cancellationToken)
    {
        var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
        var now = clock.GetUtcNow();
        var schedules = new Dictionary<IJobDetail, IReadOnlyCollection<ITrigger>>(entries.Count);
        foreach (var entry in entries)
        {
            // From the time the batch was built: a grid point that passes while the transaction runs fires at once, as late
            // as the transaction was long (not a misfire; a second or two), rather than waiting a whole interval.
            var recurring = DomainScheduleDefinitions.Recurring(entry.DomainId, entry.Interval, options.JitterFraction,
                DomainScheduleDefinitions.FirstRegularCheckAfter(entry, now));
            schedules.Add(DomainScheduleDefinitions.Job(entry.DomainId), entry.NeverChecked
                ? [recurring, DomainScheduleDefinitions.OneOff(ScheduleKeys.Manual(entry.DomainId), entry.DomainId, now)]
                : [recurring]);
        }
        try
        {
            await scheduler.ScheduleJobs(schedules, new ScheduleJobOptions { Replace = false }, cancellationToken);
        }
        catch (ObjectAlreadyExistsException ex)
        {
            logger.LogInformation("{Count} new domains' schedules were not stored together: another node stored one of them first ({Reason}); " +
                "scheduling them one at a time", entries.Count, ex.Message);
            return false;
        }
        logger.LogInformation("Scheduled checks of {Count} new domains, {FirstChecks} of them with a first check now",
            entries.Count, entries.Count(e => e.NeverChecked));
        if (logger.IsEnabled(LogLevel.Debug))
        {
            foreach (var entry in entries)
            {
                logger.LogDebug("Scheduled checks of domain {DomainId} every {Interval} (first check now: {FirstCheck})",
                    entry.DomainId, entry.Interval, entry.NeverChecked);
            }
        }
        return true;
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
