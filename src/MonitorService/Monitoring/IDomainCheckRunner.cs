namespace MonitorService.Monitoring;

/// <summary>Why a monitored check runs.</summary>
public enum CheckTrigger { Scheduled, Manual, Retry }

/// <summary>What the scheduler needs to know after a monitored check.</summary>
/// <param name="DomainFound">False when the domain was deleted meanwhile: its schedule should go.</param>
/// <param name="RetryAt">When set, a transient failure was seen: check again at this time (never sooner than 5 minutes, RFC 8461 §3.3).</param>
public sealed record MonitoredCheckOutcome(Guid DomainId, bool DomainFound, DateTimeOffset? RetryAt);

/// <summary>
/// Runs one monitored check of a registered domain: the engine's check, then snapshots, drift detection, incidents
/// and alerts, all stored. The scheduler's jobs and the "check now" paths call this; it owns no scheduling.
/// </summary>
public interface IDomainCheckRunner
{
    Task<MonitoredCheckOutcome> RunAsync(Guid domainId, CheckTrigger trigger, CancellationToken cancellationToken);
}
