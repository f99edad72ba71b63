namespace MonitorService.Domains;

/// <summary>What kind of request to register or change a domain was refused; callers map it (API status, CLI exit code).</summary>
public enum DomainError
{
    /// <summary>A value is malformed or out of range; <see cref="DomainRequestException.Field"/> names it.</summary>
    Invalid,
    AlreadyRegistered,
    /// <summary>The team already has as many domains as <c>Domains:MaxPerTeam</c> allows.</summary>
    QuotaReached,
    NotFound,
    /// <summary>A name registered by several teams was given without a team.</summary>
    Ambiguous,
}

/// <summary>A refused domain request, with a message written for the person who made it.</summary>
public class DomainRequestException(DomainError kind, string message, string? field = null) : Exception(message)
{
    public DomainError Kind { get; } = kind;

    /// <summary>The request field at fault: "name", "interval", "recipients" or "team"; null when no one field is.</summary>
    public string? Field { get; } = field;
}
