using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MonitorService.Scheduling;

/// <summary>
/// At start (registered after the Quartz hosted service, so the scheduler is running) makes the stored schedules match
/// <see cref="IDomainScheduleSource"/>: adds missing ones, updates changed intervals, removes the jobs of domains
/// that are gone or disabled. Existing triggers with an unchanged interval are kept, so restarts shift nothing.
/// Then, every <see cref="SchedulingOptions.ReconcileInterval"/>, it handles only the domains added or changed since
/// the last pass (a removed domain's job removes itself when it next fires and finds no domain). New domains get
/// their first check at once. A failure is logged, not fatal: the stored schedules keep running.
/// <para>
/// Both passes work a chunk of <see cref="SchedulingOptions.ReconcileBatchSize"/> domains at a time: what the store holds of
/// the chunk is read in bulk, the new domains' schedules are created in one transaction (<see cref="DomainScheduleBatch"/>),
/// and only the domains that need more go through <see cref="IDomainSchedule"/> one at a time. So a restart with every
/// domain scheduled only reads, and a node with many new domains schedules them in minutes rather than hours.
/// </para>
/// </summary>
public sealed class ScheduleReconciler(
    IDomainScheduleSource source,
    IDomainSchedule schedule,
    DomainScheduleBatch batch,
    StoredScheduleReader reader,
    SchedulingOptions options,
    TimeProvider time,
    ReconcileMetrics metrics,
    ILogger<ScheduleReconciler> logger) : BackgroundService
{
    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset? _lastPass;

    /// <summary>Completes when the first full pass after start has finished (successfully or not).</summary>
    public Task FirstPassCompleted => _firstPass.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // In the background: with many domains the first pass takes a while, and the node serves meanwhile (the
        // schedules stored in the cluster keep running; this pass only adds what is missing).
        await Task.Yield();
        try
        {
            await PassAsync(full: true, stoppingToken);
        }
        finally
        {
            _firstPass.TrySetResult();
        }
        using var timer = new PeriodicTimer(options.ReconcileInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
            await PassAsync(full: false, stoppingToken);
    }

    private async Task PassAsync(bool full, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        try
        {
            if (full)
                await ReconcileAsync(cancellationToken);
            else
                await ReconcileChangesAsync(cancellationToken);
            metrics.PassCompleted(full, time.GetElapsedTime(started));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not reconcile the check schedules with the registered domains");
        }
    }

    /// <summary>Schedules the domains added or changed since the last pass, and removes the schedules of those disabled.</summary>
    public async Task<int> ReconcileChangesAsync(CancellationToken cancellationToken)
    {
        // A little overlap: a change committed while the previous pass ran is not missed.
        var since = _lastPass - TimeSpan.FromSeconds(5);
        var started = time.GetUtcNow();
        var entries = await source.ListAsync(since, cancellationToken);
        var summary = await ScheduleEnabledAsync([.. entries.Where(e => e.Enabled)], stored: null, cancellationToken);
        var removed = await batch.RemoveAsync([.. entries.Where(e => !e.Enabled).Select(e => e.DomainId)], cancellationToken);
        _lastPass = started;
        metrics.Domains(full: false, summary with { Removed = removed });
        if (entries.Count > 0)
        {
            logger.LogInformation(
                "Check schedules updated for {Count} added or changed domains: {Created} created ({FirstChecks} first checks), {OneByOne} one at a time, {Unchanged} unchanged, {Removed} removed",
                entries.Count, summary.Created, summary.FirstChecks, summary.OneByOne, summary.Unchanged, removed);
        }
        return entries.Count;
    }

    /// <summary>One full reconciliation pass: schedules every enabled domain, removes the jobs of all others.</summary>
    public async Task<ReconcileSummary> ReconcileAsync(CancellationToken cancellationToken)
    {
        var started = time.GetUtcNow();
        var entries = await source.ListAsync(null, cancellationToken);
        List<DomainScheduleEntry> enabled = [.. entries.Where(e => e.Enabled)];
        // One read of everything stored: with every domain scheduled (a restart) the pass reads and compares, nothing more.
        var stored = await reader.ReadAllAsync(cancellationToken);
        var summary = await ScheduleEnabledAsync(enabled, stored, cancellationToken);
        _lastPass = started;

        var wanted = enabled.Select(e => e.DomainId).ToHashSet();
        var stale = stored.Keys.Where(id => !wanted.Contains(id)).ToList();
        summary = summary with { Removed = await batch.RemoveAsync(stale, cancellationToken) };
        metrics.Domains(full: true, summary);
        logger.LogInformation(
            "Check schedules reconciled: {Scheduled} domains scheduled ({Created} created with {FirstChecks} first checks, {OneByOne} one at a time, {Unchanged} unchanged), {Removed} removed",
            summary.Scheduled, summary.Created, summary.FirstChecks, summary.OneByOne, summary.Unchanged, summary.Removed);
        return summary;
    }

    /// <summary>
    /// Schedules enabled domains a chunk at a time: new ones are created in bulk (<see cref="DomainScheduleBatch"/>), and only
    /// those that need more (a changed interval, an off-grid trigger, a chunk another node stored first) go one at a time.
    /// </summary>
    /// <param name="stored">What the store held of them, when the caller read it; else each chunk is read.</param>
    private async Task<ReconcileSummary> ScheduleEnabledAsync(
        IReadOnlyList<DomainScheduleEntry> enabled, IReadOnlyDictionary<Guid, StoredSchedule>? stored, CancellationToken cancellationToken)
    {
        var summary = new ReconcileSummary(enabled.Count, 0, 0, 0, 0, 0);
        foreach (var chunk in enabled.Chunk(options.ReconcileBatchSize))
        {
            var outcome = await batch.ApplyAsync(chunk, cancellationToken, stored);
            var firstChecks = outcome.FirstChecks;
            foreach (var entry in outcome.OneByOne)
            {
                if (await ApplyOneAsync(entry, cancellationToken))
                    firstChecks++;
            }
            summary = summary with
            {
                Created = summary.Created + outcome.Created,
                FirstChecks = summary.FirstChecks + firstChecks,
                OneByOne = summary.OneByOne + outcome.OneByOne.Count,
                Unchanged = summary.Unchanged + outcome.Unchanged,
            };
        }
        return summary;
    }

    /// <summary>The one-by-one path; returns whether it stored the domain's first check.</summary>
    private async Task<bool> ApplyOneAsync(DomainScheduleEntry entry, CancellationToken cancellationToken)
        // Only the node that created the schedule stores the first check (the schedule does, with the recurring trigger).
        => await schedule.ScheduleAsync(entry, cancellationToken) && entry.NeverChecked;
}
