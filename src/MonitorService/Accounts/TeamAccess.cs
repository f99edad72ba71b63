using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;

namespace MonitorService.Accounts;

/// <summary>
/// Works out which teams the current caller may see: a token's one team, a signed-in user's memberships (read per
/// request, so removing a member takes effect at once), or every team for an administrator.
/// </summary>
public sealed class TeamAccess(IDbContextFactory<MonitorDbContext> dbFactory)
{
    private TeamScope? _cached;

    public async Task<TeamScope> ScopeAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (_cached is not null)
            return _cached;
        if (principal.Identity?.IsAuthenticated != true)
            return _cached = TeamScope.Nothing;
        if (principal.FindFirst(MonitorClaims.TeamId)?.Value is { } tokenTeam && Guid.TryParse(tokenTeam, out var teamId))
            return _cached = TeamScope.Only(teamId);
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
            return _cached = TeamScope.Nothing;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.IsAdmin, Teams = u.Memberships.Select(m => m.TeamId).ToList() })
            .FirstOrDefaultAsync(ct);
        return _cached = user switch
        {
            null => TeamScope.Nothing,
            { IsAdmin: true } => TeamScope.Everything,
            _ => new TeamScope(false, user.Teams),
        };
    }
}
