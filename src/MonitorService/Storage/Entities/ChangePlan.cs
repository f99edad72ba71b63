namespace MonitorService.Storage.Entities;

/// <summary>
/// A planned MX change of one domain: what the domain published when the plan was made
/// (the baseline), where it is going (the target), and its steps. At most one plan per domain is active (a partial
/// unique index); ended plans stay as history.
/// </summary>
public sealed class ChangePlan
{
    public Guid Id { get; set; }
    public Guid DomainId { get; set; }
    /// <summary>One of <see cref="ChangePlanStates"/>.</summary>
    public string State { get; set; } = ChangePlanStates.Active;
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Who asked for it: a user's e-mail address, an API token's name, or "cli".</summary>
    public string? CreatedBy { get; set; }
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>The MX hosts when the plan was made (normalised).</summary>
    public List<string> OldMx { get; set; } = [];
    /// <summary>The valid mx patterns of the policy published when the plan was made (normalised, in order).</summary>
    public List<string> OldPatterns { get; set; } = [];
    public required string OldMode { get; set; }
    public long OldMaxAge { get; set; }
    public string? OldTxtId { get; set; }

    /// <summary>The MX hosts the domain moves to (normalised), with their preferences at the same index.</summary>
    public List<string> TargetMx { get; set; } = [];
    public List<int> TargetPreferences { get; set; } = [];
    public required string TargetMode { get; set; }
    public long TargetMaxAge { get; set; }

    /// <summary>The TXT id senders were last told about: the baseline's, then the one seen with each completed publish step.</summary>
    public string? CurrentTxtId { get; set; }
    /// <summary>Since when every check has been free of errors, counted once the step before "switch to enforce" is complete.</summary>
    public DateTimeOffset? CleanSince { get; set; }
    /// <summary>What keeps the next step from completing (such as a policy published without a new id), in words.</summary>
    public string? Problem { get; set; }
    /// <summary>Identifies <see cref="Problem"/>, so that the team is mailed about it once, not on every check.</summary>
    public string? ProblemKey { get; set; }

    public List<ChangePlanStep> Steps { get; set; } = [];
}

/// <summary>One step of a <see cref="ChangePlan"/>.</summary>
public sealed class ChangePlanStep
{
    public Guid PlanId { get; set; }
    /// <summary>1-based position in the plan.</summary>
    public int N { get; set; }
    /// <summary>What the step does, such as publish-policy or switch-mx (the list is the change-plan feature's).</summary>
    public required string Action { get; set; }
    /// <summary>What to do, with the exact text to publish.</summary>
    public required string Text { get; set; }
    public DateTimeOffset? EarliestAt { get; set; }
    public DateTimeOffset? DoneAt { get; set; }
    /// <summary>One of <see cref="ChangePlanStepStatus"/>.</summary>
    public string Status { get; set; } = ChangePlanStepStatus.Pending;

    /// <summary>For steps that publish a policy: its mx patterns, mode and max_age, and the id to publish with it.</summary>
    public List<string> PolicyMx { get; set; } = [];
    public string? PolicyMode { get; set; }
    public long? PolicyMaxAge { get; set; }
    public string? TxtId { get; set; }
}

public static class ChangePlanStates
{
    public const string Active = "active";
    public const string Done = "done";
    public const string Cancelled = "cancelled";
}

public static class ChangePlanStepStatus
{
    public const string Pending = "pending";
    public const string Ready = "ready";
    public const string Done = "done";
    /// <summary>Observed before it was safe (or before the step it depends on).</summary>
    public const string Early = "early";
}
