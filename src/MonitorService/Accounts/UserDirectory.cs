using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Accounts;

/// <summary>Teams and their members, for the CLI and the team settings page.</summary>
public sealed class UserDirectory(IDbContextFactory<MonitorDbContext> dbFactory, TimeProvider time)
{
    public async Task<Team> GetOrCreateTeamAsync(string name, CancellationToken ct)
    {
        var trimmed = name.Trim();
        if (trimmed.Length is 0 or > 100)
            throw new AccountRequestException("A team name is 1 to 100 characters.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Name == trimmed, ct);
        if (team is not null)
            return team;
        team = new Team { Id = Guid.NewGuid(), Name = trimmed, CreatedAt = time.GetUtcNow() };
        db.Teams.Add(team);
        await db.SaveChangesAsync(ct);
        return team;
    }

    public async Task<Team?> FindTeamAsync(string name, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Name == name.Trim(), ct);
    }

    /// <summary>Adds the user to the team; false when already a member.</summary>
    public async Task<bool> AddMemberAsync(Guid teamId, Guid userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.TeamMembers.AnyAsync(m => m.TeamId == teamId && m.UserId == userId, ct))
            return false;
        db.TeamMembers.Add(new TeamMember { TeamId = teamId, UserId = userId, AddedAt = time.GetUtcNow() });
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<bool> RemoveMemberAsync(Guid teamId, Guid userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TeamMembers.Where(m => m.TeamId == teamId && m.UserId == userId).ExecuteDeleteAsync(ct) > 0;
    }

    public async Task<IReadOnlyList<MonitorUser>> MembersAsync(Guid teamId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.TeamMembers.AsNoTracking().Where(m => m.TeamId == teamId).Select(m => m.User!).OrderBy(u => u.Email).ToListAsync(ct);
    }

    /// <summary>The teams within the scope, by name.</summary>
    public async Task<IReadOnlyList<Team>> TeamsAsync(TeamScope scope, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = scope.TeamIds.ToList();
        return await db.Teams.AsNoTracking().Where(t => scope.All || ids.Contains(t.Id)).OrderBy(t => t.Name).ToListAsync(ct);
    }
}
