using Microsoft.AspNetCore.Identity;

namespace MonitorService.Storage.Entities;

/// <summary>A person who signs in to the dashboard. Identity keeps the password hash and the lockout counters.</summary>
public sealed class MonitorUser : IdentityUser<Guid>
{
    /// <summary>Administrators see and manage every team; other users only the teams they are members of.</summary>
    public bool IsAdmin { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<TeamMember> Memberships { get; set; } = [];
}
