namespace MonitorService.Storage.Entities;

/// <summary>
/// A finding (code + subject) of a domain from the check that first saw it until the check that no longer sees it.
/// Transient findings (a failed lookup, an unreachable server) stay pending until consecutive checks confirm them,
/// so one bad minute never flips a domain's state.
/// </summary>
public sealed class Incident
{
    public long Id { get; set; }
    public Guid DomainId { get; set; }
    public required string Code { get; set; }
    /// <summary>Empty string when the finding has no subject (keeps the unique key simple).</summary>
    public required string Subject { get; set; }
    public required string Severity { get; set; }
    public required string Message { get; set; }
    public string? Fix { get; set; }
    public DateTimeOffset FirstSeenAt { get; set; }
    /// <summary>
    /// The last check that saw it, for pending and closed incidents. While it is open this stays at its confirmation:
    /// its last sighting is the domain's last check (not written per check, so an unchanged check writes one row).
    /// </summary>
    public DateTimeOffset LastSeenAt { get; set; }
    /// <summary>Checks that saw it until it was confirmed (opened).</summary>
    public int SeenCount { get; set; }
    /// <summary>When it was confirmed and became open; null while pending.</summary>
    public DateTimeOffset? OpenedAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
}
