namespace MonitorService.Web.Api;

public sealed record DomainResponse(
    Guid Id, string Name, string Team, string Status, bool Enabled, int IntervalSeconds, IReadOnlyList<string> Recipients,
    DateTimeOffset CreatedAt, DateTimeOffset? LastCheckedAt, DateTimeOffset? NextCheckAt, int? OpenIncidents, string? Mode);

/// <param name="Name">The domain (normalised: lower case, A-labels, no trailing dot).</param>
/// <param name="IntervalSeconds">Between 300 and 604800; the service default when omitted.</param>
public sealed record AddDomainRequest(string? Name, int? IntervalSeconds, IReadOnlyList<string>? Recipients);

/// <summary>Only the members present change.</summary>
public sealed record UpdateDomainRequest(int? IntervalSeconds, bool? Enabled, IReadOnlyList<string>? Recipients);

public sealed record DiffResponse(string Kind, long From, long To, IReadOnlyList<DiffLine> Lines);

public sealed record DiffLine(string Kind, string? Left, string? Right);

public sealed record CheckQueuedResponse(Guid DomainId, string Message);
