using Microsoft.EntityFrameworkCore;
using MonitorService.Checks;
using MonitorService.Observability;
using MonitorService.Storage;

namespace MonitorService.Monitoring;

/// <summary>The monitored check: the engine's check of a registered domain, then <see cref="CheckRecorder"/>.</summary>
public sealed class DomainCheckRunner(
    IDbContextFactory<MonitorDbContext> dbFactory,
    IDomainChecker checker,
    CheckRecorder recorder,
    TimeProvider time,
    ILogger<DomainCheckRunner> logger,
    MonitorMetrics? metrics = null) : IDomainCheckRunner
{
    public async Task<MonitoredCheckOutcome> RunAsync(Guid domainId, CheckTrigger trigger, CancellationToken cancellationToken)
    {
        var result = await CheckAsync(domainId, trigger, cancellationToken);
        return new MonitoredCheckOutcome(domainId, result is not null, result?.RetryAt);
    }

    /// <summary>Runs and records a check; null when the domain does not exist (any more).</summary>
    public async Task<MonitoredCheckResult?> CheckAsync(Guid domainId, CheckTrigger trigger, CancellationToken cancellationToken)
    {
        string? name;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
            name = await db.Domains.Where(d => d.Id == domainId).Select(d => d.Name).FirstOrDefaultAsync(cancellationToken);
        if (name is null)
        {
            logger.DomainGone(domainId);
            return null;
        }
        logger.Checking(name, trigger);
        var started = time.GetTimestamp();
        var report = await checker.CheckAsync(name, cancellationToken);
        metrics?.CheckCompleted(report, trigger.ToString().ToLowerInvariant(), time.GetElapsedTime(started));
        return await recorder.RecordAsync(domainId, CheckSnapshot.Of(report), cancellationToken);
    }
}
