namespace MonitorService.Storage.Entities;

/// <summary>A user's membership of a team: the user sees and changes that team's domains and settings.</summary>
public sealed class TeamMember
{
    public Guid TeamId { get; set; }
    public Team? Team { get; set; }
    public Guid UserId { get; set; }
    public MonitorUser? User { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}
