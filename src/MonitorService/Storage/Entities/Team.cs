namespace MonitorService.Storage.Entities;

/// <summary>An ops team: owns domains; its members see only its domains.</summary>
public sealed class Team
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<MonitoredDomain> Domains { get; set; } = [];
}
