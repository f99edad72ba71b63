namespace MonitorService.Scheduling;

/// <summary>Settings of the clustered check scheduler (configuration section "Scheduling").</summary>
public sealed class SchedulingOptions
{
    public const string SectionName = "Scheduling";

    /// <summary>Checks running at once on this node (the Quartz thread pool size).</summary>
    public int MaxConcurrentChecks { get; set; } = 32;

    /// <summary>The cluster's scheduler name: the same on every node.</summary>
    public string InstanceName { get; set; } = "MonitorService";

    /// <summary>This node's id within the cluster; null lets Quartz generate a unique one (host name and time).</summary>
    public string? InstanceId { get; set; }

    /// <summary>How often a node records that it is alive; a dead node's work is taken over after about this plus <see cref="MisfireThreshold"/>.</summary>
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How late a check may start before it counts as missed (it then runs once as soon as possible).</summary>
    public TimeSpan MisfireThreshold { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Share of a domain's interval over which first checks are spread (0 = all on the interval grid, 1 = anywhere in it).
    /// The offset is derived from the domain id, so every node and every restart computes the same.
    /// </summary>
    public double JitterFraction { get; set; } = 1.0;

    /// <summary>A retry after a transient failure never runs sooner than this after it was asked for (RFC 8461 §3.3 suggests 5 minutes).</summary>
    public TimeSpan MinimumRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often a node looks for domains added or changed outside it (by the command line or another node) and
    /// brings their schedules in step.
    /// </summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Domains the reconciler plans and creates together: one short transaction of set-based inserts per batch
    /// (<see cref="ScheduleRowWriter"/>), under the cluster's trigger lock, after giving way to overdue checks.
    /// </summary>
    public int ReconcileBatchSize { get; set; } = 200;

    /// <summary>
    /// How long the reconciler waits, before each batch, while checks are overdue in the cluster: start-up and bulk
    /// registration give way to due checks. Zero turns the waiting off.
    /// </summary>
    public TimeSpan ReconcileYieldLimit { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a node's scheduler sleeps when no check is due within it, and so the longest a check stored by another node
    /// or written by the reconciler (<see cref="ScheduleRowWriter"/>, which Quartz does not hear about) waits to be noticed.
    /// Quartz's default is 30 s; an idle node pays one small query per wait.
    /// </summary>
    public TimeSpan IdleWaitTime { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// New domains' first checks started per second by one node. A few domains added get theirs at once; thousands pasted
    /// get them spread out (at 10 a second, 5,000 take about eight minutes), so the checks already due are not made late.
    /// </summary>
    public double FirstChecksPerSecond { get; set; } = 10;

    /// <summary>The problems with these settings, one sentence each; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxConcurrentChecks < 1)
        {
            errors.Add($"Scheduling:MaxConcurrentChecks must be at least 1 (was {MaxConcurrentChecks}).");
        }
        if (string.IsNullOrWhiteSpace(InstanceName))
        {
            errors.Add("Scheduling:InstanceName must not be empty; use the same name on every node.");
        }
        if (InstanceId is not null && string.IsNullOrWhiteSpace(InstanceId))
        {
            errors.Add("Scheduling:InstanceId must be left unset or be a non-empty id unique in the cluster.");
        }
        if (CheckinInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Scheduling:CheckinInterval must be at least 1 second (was {CheckinInterval}).");
        }
        if (MisfireThreshold < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Scheduling:MisfireThreshold must be at least 1 second (was {MisfireThreshold}).");
        }
        if (double.IsNaN(JitterFraction) || JitterFraction < 0 || JitterFraction > 1)
        {
            errors.Add($"Scheduling:JitterFraction must be between 0 and 1 (was {JitterFraction}).");
        }
        if (ReconcileInterval < TimeSpan.FromSeconds(1))
        {
            errors.Add($"Scheduling:ReconcileInterval must be at least 1 second (was {ReconcileInterval}).");
        }
        if (ReconcileBatchSize is < 1 or > 5000)
        {
            errors.Add($"Scheduling:ReconcileBatchSize must be between 1 and 5000 (was {ReconcileBatchSize}).");
        }
        if (ReconcileYieldLimit < TimeSpan.Zero || ReconcileYieldLimit > TimeSpan.FromMinutes(1))
        {
            errors.Add($"Scheduling:ReconcileYieldLimit must be between 0 and 1 minute (was {ReconcileYieldLimit}).");
        }
        if (IdleWaitTime < TimeSpan.FromSeconds(1) || IdleWaitTime > TimeSpan.FromSeconds(30))
        {
            errors.Add($"Scheduling:IdleWaitTime must be between 1 and 30 seconds (was {IdleWaitTime}).");
        }
        if (double.IsNaN(FirstChecksPerSecond) || FirstChecksPerSecond < 0.01 || FirstChecksPerSecond > 10_000)
        {
            errors.Add($"Scheduling:FirstChecksPerSecond must be between 0.01 and 10000 (was {FirstChecksPerSecond}).");
        }
        if (MinimumRetryDelay <= TimeSpan.Zero)
        {
            errors.Add($"Scheduling:MinimumRetryDelay must be positive (was {MinimumRetryDelay}).");
        }
        return errors;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem.</summary>
    public void ThrowIfInvalid()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid scheduling settings: " + string.Join(" ", errors));
        }
    }
}
