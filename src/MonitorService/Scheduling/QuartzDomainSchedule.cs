using Microsoft.Extensions.Logging;
using Quartz;

namespace MonitorService.Scheduling;

/// <summary>
/// <see cref="IDomainSchedule"/> over the clustered Quartz store. Per domain: one durable, non-concurrent job
/// ("domain-{id}" in "checks") and up to three triggers of the same name: the recurring one ("schedule"),
/// a pending "check now" ("manual") and a pending retry ("retry").
/// </summary>
/// <remarks>
/// Misfires: the recurring trigger uses <see cref="SimpleTriggerMisfireInstruction.FireNow"/> (on a repeating trigger:
/// reschedule now with the remaining count): a check missed while every node was down or busy runs once, as soon as
/// possible, and never as a burst of the missed ones; a deploy therefore never costs a domain a check. That re-anchors the
/// trigger at the catch-up time, off the domain's grid; <see cref="RealignAsync(Guid, CancellationToken)"/> (called by the
/// job after such a run, and by <see cref="ScheduleAsync"/>) moves it back, so the spread over the interval survives outages.
/// <para>
/// The jobs and triggers are built by <see cref="DomainScheduleDefinitions"/>. A new domain's schedule (here too) is created by
/// <see cref="DomainScheduleBatch"/> with set-based SQL that writes the same rows Quartz would; the reconciler comes here,
/// one domain at a time, only for what needs more than creating: a changed interval, an off-grid trigger, a job stored
/// without its trigger, or a paused group.
/// </para>
/// </remarks>
public sealed class QuartzDomainSchedule(
    ISchedulerFactory schedulerFactory,
    DomainScheduleBatch batch,
    StoredScheduleReader reader,
    FirstCheckPacer pacer,
    SchedulingOptions options,
    TimeProvider clock,
    ILogger<QuartzDomainSchedule> logger) : IDomainSchedule
{
    /// <summary>The shortest check interval accepted.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(1);

    public async Task<bool> ScheduleAsync(DomainScheduleEntry entry, CancellationToken cancellationToken)
    {
        if (!entry.Enabled)
        {
            await UnscheduleAsync(entry.DomainId, cancellationToken);
            return false;
        }
        if (entry.Interval < MinimumInterval)
        {
            throw new ArgumentOutOfRangeException(nameof(entry), entry.Interval, "A check interval must be at least a second.");
        }

        // A new domain (nothing stored): job, recurring trigger and first check in one short transaction.
        if (!(await reader.ReadAsync([entry.DomainId], cancellationToken)).ContainsKey(entry.DomainId)
            && (await batch.CreateAsync([entry], cancellationToken)).Created.Count == 1)
        {
            return true;
        }

        var scheduler = await SchedulerAsync(cancellationToken);
        await EnsureJobAsync(scheduler, entry.DomainId, cancellationToken);
        var key = ScheduleKeys.Schedule(entry.DomainId);
        var existing = await scheduler.GetTrigger(key, cancellationToken);
        if (existing is null)
        {
            // Keep: of several nodes reconciling at once, exactly one trigger is stored, and all compute the same one anyway.
            var firstCheck = entry.NeverChecked ? pacer.Next() : (DateTimeOffset?)null;
            var first = DomainScheduleDefinitions.FirstRegularCheckAfter(entry, firstCheck ?? Now);
            var result = await scheduler.ScheduleTrigger(RecurringTrigger(entry.DomainId, entry.Interval, first), TriggerConflict.Keep, cancellationToken);
            logger.LogInformation("Scheduled checks of domain {DomainId} every {Interval}, next at {NextCheck:o} ({Outcome})",
                entry.DomainId, entry.Interval, result.NextFireTimeUtc, result.Outcome);
            if (result.Outcome != ScheduleOutcome.Created)
            {
                return false;
            }
            if (firstCheck is { } at)
            {
                // Only the caller that created the schedule gets here, so exactly one node stores the first check.
                await scheduler.ScheduleTrigger(OneOff(ScheduleKeys.Manual(entry.DomainId), entry.DomainId, at), TriggerConflict.KeepEarlier, cancellationToken);
            }
            return true;
        }
        if (existing is ISimpleTrigger simple && simple.RepeatInterval == entry.Interval)
        {
            await RealignAsync(scheduler, entry.DomainId, simple, cancellationToken);
            return false;
        }
        var next = await scheduler.RescheduleJob(key, RecurringTrigger(entry.DomainId, entry.Interval, Now), cancellationToken);
        logger.LogInformation("Changed the check interval of domain {DomainId} to {Interval}, next at {NextCheck:o}", entry.DomainId, entry.Interval, next);
        return false;
    }

    public async Task UnscheduleAsync(Guid domainId, CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        // Deleting the job deletes its triggers of every kind.
        if (await scheduler.DeleteJob(ScheduleKeys.Job(domainId), cancellationToken))
        {
            logger.LogInformation("Removed the checks of domain {DomainId}", domainId);
        }
    }

    public async Task TriggerNowAsync(Guid domainId, CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        await EnsureJobAsync(scheduler, domainId, cancellationToken);
        var trigger = OneOff(ScheduleKeys.Manual(domainId), domainId, Now);
        // KeepEarlier: a "check now" still waiting is not doubled by a second click, and one asked for now is not held
        // back by a first check spaced out behind other new domains' (FirstCheckPacer).
        var result = await scheduler.ScheduleTrigger(trigger, TriggerConflict.KeepEarlier, cancellationToken);
        logger.LogInformation("Check of domain {DomainId} requested now ({Outcome})", domainId, result.Outcome);
    }

    public async Task ScheduleRetryAsync(Guid domainId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        if (!await scheduler.Exists(ScheduleKeys.Job(domainId), cancellationToken))
        {
            logger.LogDebug("No retry for domain {DomainId}: it has no checks scheduled", domainId);
            return;
        }
        var earliest = Now + options.MinimumRetryDelay;
        var when = at < earliest ? earliest : at;
        var regular = await scheduler.GetTrigger(ScheduleKeys.Schedule(domainId), cancellationToken);
        if (regular?.NextFireTimeUtc is { } nextRegular && nextRegular <= when)
        {
            logger.LogDebug("No retry for domain {DomainId}: the regular check at {NextCheck:o} comes first", domainId, nextRegular);
            return;
        }
        // KeepEarlier: of two retries asked for, the sooner one stands.
        var result = await scheduler.ScheduleTrigger(OneOff(ScheduleKeys.Retry(domainId), domainId, when), TriggerConflict.KeepEarlier, cancellationToken);
        logger.LogInformation("Retry of domain {DomainId} at {RetryAt:o} ({Outcome})", domainId, result.NextFireTimeUtc, result.Outcome);
    }

    public async Task<DateTimeOffset?> NextCheckAsync(Guid domainId, CancellationToken cancellationToken)
    {
        var next = await NextChecksAsync([domainId], cancellationToken);
        return next.TryGetValue(domainId, out var at) ? at : null;
    }

    public async Task<IReadOnlyDictionary<Guid, DateTimeOffset>> NextChecksAsync(IReadOnlyCollection<Guid> domainIds, CancellationToken cancellationToken)
    {
        if (domainIds.Count == 0)
            return new Dictionary<Guid, DateTimeOffset>();
        var scheduler = await SchedulerAsync(cancellationToken);
        var triggers = await scheduler.GetTriggers([.. domainIds.SelectMany(ScheduleKeys.AllTriggers)], cancellationToken);
        var next = new Dictionary<Guid, DateTimeOffset>();
        foreach (var trigger in triggers)
        {
            if (trigger.NextFireTimeUtc is { } at && ScheduleKeys.TryParseDomainId(trigger.Key.Name, out var domainId)
                && (!next.TryGetValue(domainId, out var earlier) || at < earlier))
            {
                next[domainId] = at;
            }
        }
        return next;
    }

    /// <summary>
    /// Moves the domain's recurring trigger back onto its grid when a misfire re-anchored it, keeping the interval.
    /// Leaves a trigger that is due (its catch-up still to come) and one already on the grid alone. Never creates one.
    /// </summary>
    public async Task RealignAsync(Guid domainId, CancellationToken cancellationToken)
    {
        var scheduler = await SchedulerAsync(cancellationToken);
        if (await scheduler.GetTrigger(ScheduleKeys.Schedule(domainId), cancellationToken) is ISimpleTrigger simple)
        {
            await RealignAsync(scheduler, domainId, simple, cancellationToken);
        }
    }

    /// <summary>
    /// Whether <see cref="RealignAsync(Guid, CancellationToken)"/> would move this recurring trigger: its next check is
    /// ahead and off the domain's grid. (A due one still has its catch-up to run; the job realigns it afterwards.)
    /// </summary>
    public static bool NeedsRealign(Guid domainId, ISimpleTrigger trigger, DateTimeOffset now, double jitterFraction)
        => NeedsRealign(domainId, trigger.RepeatInterval, trigger.NextFireTimeUtc, now, jitterFraction);

    /// <inheritdoc cref="NeedsRealign(Guid, ISimpleTrigger, DateTimeOffset, double)"/>
    public static bool NeedsRealign(Guid domainId, TimeSpan interval, DateTimeOffset? nextFireTime, DateTimeOffset now, double jitterFraction)
        => nextFireTime is { } next && next > now && !ScheduleGrid.IsOnGrid(domainId, interval, jitterFraction, next);

    private async Task RealignAsync(IScheduler scheduler, Guid domainId, ISimpleTrigger trigger, CancellationToken cancellationToken)
    {
        if (!NeedsRealign(domainId, trigger, Now, options.JitterFraction))
        {
            return;
        }
        // Not before half an interval from now: the catch-up run has just happened.
        var realigned = RecurringTrigger(domainId, trigger.RepeatInterval, Now + trigger.RepeatInterval / 2);
        var first = await scheduler.RescheduleJob(trigger.Key, realigned, cancellationToken);
        logger.LogInformation("Moved the checks of domain {DomainId} back onto their schedule, next at {NextCheck:o}", domainId, first);
    }

    private DateTimeOffset Now => clock.GetUtcNow();

    private ValueTask<IScheduler> SchedulerAsync(CancellationToken cancellationToken) => schedulerFactory.GetScheduler(cancellationToken);

    private static async Task EnsureJobAsync(IScheduler scheduler, Guid domainId, CancellationToken cancellationToken)
    {
        if (await scheduler.Exists(ScheduleKeys.Job(domainId), cancellationToken))
        {
            return;
        }
        // Replacing: two nodes adding the same job at once both succeed with the same definition.
        await scheduler.AddJob(DomainScheduleDefinitions.Job(domainId), AddJobOptions.Replacing, cancellationToken);
    }

    private ITrigger RecurringTrigger(Guid domainId, TimeSpan interval, DateTimeOffset after)
        => DomainScheduleDefinitions.Recurring(domainId, interval, options.JitterFraction, after);

    private static ITrigger OneOff(TriggerKey key, Guid domainId, DateTimeOffset at) => DomainScheduleDefinitions.OneOff(key, domainId, at);
}
