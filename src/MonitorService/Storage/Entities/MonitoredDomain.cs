namespace MonitorService.Storage.Entities;

/// <summary>A registered domain, its schedule settings, and the summary of its latest monitored state.</summary>
public sealed class MonitoredDomain
{
    public Guid Id { get; set; }
    public Guid TeamId { get; set; }
    public Team? Team { get; set; }

    /// <summary>Normalised: lower case, A-labels, no trailing dot. Unique per team.</summary>
    public required string Name { get; set; }
    public int IntervalSeconds { get; set; }
    public bool Enabled { get; set; } = true;
    public List<string> Recipients { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>When the settings last changed: schedulers pick up changes made elsewhere by this.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    // Summary of the latest check, kept here so lists need no joins.
    public DateTimeOffset? LastCheckedAt { get; set; }
    /// <summary>pending (never checked), ok, warning or error: the worst open incident, not the last raw result.</summary>
    public string Status { get; set; } = DomainStatus.Pending;
    public long? CurrentObservationId { get; set; }
    /// <summary>
    /// Checks that saw the current observation's state. Kept here rather than on the observation so that an unchanged
    /// check updates one row (this one, without touching an index: a HOT update).
    /// </summary>
    public int CurrentObservationChecks { get; set; }
    /// <summary>Consecutive checks whose policy fetch failed, for DRIFT_POLICY_UNREACHABLE.</summary>
    public int ConsecutivePolicyFailures { get; set; }

    /// <summary>When "check now" was last granted (dashboard or API): it is granted once a minute per domain.</summary>
    public DateTimeOffset? LastManualCheckAt { get; set; }
}

public static class DomainStatus
{
    public const string Pending = "pending";
    public const string Ok = "ok";
    public const string Warning = "warning";
    public const string Error = "error";
}
