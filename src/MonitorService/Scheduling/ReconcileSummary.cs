namespace MonitorService.Scheduling;

/// <summary>What a reconcile pass did.</summary>
/// <param name="Scheduled">Enabled domains the pass looked at.</param>
/// <param name="Created">Schedules created in bulk (<see cref="DomainScheduleBatch"/>).</param>
/// <param name="FirstChecks">First checks of never-checked domains this node started (in bulk or one at a time).</param>
/// <param name="OneByOne">Domains handled one at a time: changed interval, off-grid trigger, or a batch another node stored first.</param>
/// <param name="Unchanged">Domains whose stored schedule already matched.</param>
/// <param name="Removed">Jobs removed: of domains gone or disabled.</param>
public sealed record ReconcileSummary(int Scheduled, int Created, int FirstChecks, int OneByOne, int Unchanged, int Removed);
