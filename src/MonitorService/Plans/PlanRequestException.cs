namespace MonitorService.Plans;

public enum PlanError
{
    /// <summary>The request itself is wrong (a host name, a mode, a max_age): fix the request.</summary>
    Invalid,
    /// <summary>The domain's state does not allow it now (a plan is already active, no usable policy was seen yet).</summary>
    Conflict,
    /// <summary>There is no such plan.</summary>
    NotFound,
}

/// <summary>A plan request that cannot be done, with a message for the person who asked.</summary>
public sealed class PlanRequestException(PlanError kind, string message, string? field = null) : Exception(message)
{
    public PlanError Kind { get; } = kind;
    /// <summary>The request field at fault (newMx, mode, maxAge), when there is one.</summary>
    public string? Field { get; } = field;
}
