using MonitorService.Monitoring.Drift;

namespace MonitorService.Plans;

/// <summary>What one recorded check tells a plan.</summary>
/// <param name="Now">The time of the check.</param>
/// <param name="State">What the check established (null parts: not known in this check, never "absent").</param>
/// <param name="HasErrors">Whether the check found an error (a finding or a drift event): it restarts the clean period.</param>
/// <param name="History">The policy history senders could have cached (the sender-cache clock's input), this check included.</param>
public sealed record PlanCheck(DateTimeOffset Now, DomainState State, bool HasErrors, IReadOnlyList<PolicyObservation> History);

public enum PlanTransitionKind
{
    /// <summary>A step was observed (or its time came, for a wait).</summary>
    Done,
    /// <summary>A step became safe to do.</summary>
    Ready,
    /// <summary>A step was observed before it was safe.</summary>
    Early,
    /// <summary>Something keeps the next step from completing (such as a forgotten new id).</summary>
    Problem,
    /// <summary>Every step is done: the plan ended.</summary>
    Completed,
}

/// <summary>One change a check made to a plan, for the team's mail.</summary>
/// <param name="Alert">True for what must reach the team as an error at once (a harmful step out of order).</param>
/// <param name="Until">When the exposure it describes ends at the latest, if it does.</param>
public sealed record PlanTransition(PlanTransitionKind Kind, int Step, string Action, string Message, bool Alert = false, DateTimeOffset? Until = null);
