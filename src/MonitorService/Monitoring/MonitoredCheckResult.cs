using MonitorService.Checks.Model;
using MonitorService.Monitoring.Drift;

namespace MonitorService.Monitoring;

/// <summary>Everything one monitored check produced: the engine's report and what the monitor made of it.</summary>
public sealed record MonitoredCheckResult(
    Guid DomainId,
    string Domain,
    CheckReport Report,
    IReadOnlyList<DriftEvent> Events,
    IncidentChanges Incidents,
    bool StateChanged,
    DateTimeOffset? RetryAt);
