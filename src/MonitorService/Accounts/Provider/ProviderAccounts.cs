using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MonitorService.Mail;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Accounts.Provider;

/// <summary>
/// The accounts of people who sign in through an identity provider. An account is keyed by the provider's issuer and
/// subject (Identity's user_logins row), never by e-mail: a provider that puts someone else's address into a token
/// gets no access to that person's account. So an address that another account already has is refused, not joined.
/// The account is created at the first sign-in; its team memberships (of the teams the mapping names) and its
/// administrator flag follow the provider's claim at every sign-in, so someone taken out of a group at the provider
/// loses the team at their next sign-in.
/// </summary>
public sealed class ProviderAccounts(UserManager<MonitorUser> users, MonitorDbContext db, TimeProvider time, ILogger<ProviderAccounts> logger)
{
    /// <summary>How Identity's login row names these accounts' provider (the issuer itself is the key).</summary>
    public const string LoginDisplayName = "OpenID Connect";

    private const int MaxEmailLength = 256;

    public async Task<ProviderSignIn> SignInAsync(ProviderIdentity identity, TeamClaimMapping mapping, CancellationToken ct)
    {
        var user = await users.FindByLoginAsync(identity.Issuer, identity.Subject);
        var created = false;
        if (user is null)
        {
            if (Refusal(identity) is { } refusal)
                return ProviderSignIn.Refused(refusal);
            (user, var taken) = await CreateAsync(identity, ct);
            if (user is null)
                return ProviderSignIn.Refused(taken);
            created = true;
        }
        else
        {
            await FollowEmailAsync(user, identity);
        }

        var teams = mapping.TeamsFor(identity.GroupValues);
        var admin = mapping.ManagesAdministrators ? mapping.IsAdministrator(identity.GroupValues) : user.IsAdmin;
        await SyncTeamsAsync(user.Id, teams, mapping.ManagedTeams, ct);
        if (user.IsAdmin != admin)
        {
            user.IsAdmin = admin;
            await users.UpdateAsync(user);
        }
        return new ProviderSignIn(user, null, created, teams, admin);
    }

    private static ProviderRefusal? Refusal(ProviderIdentity identity)
    {
        // A bare address only ("Name <address>" is not what an email claim holds).
        if (identity.Email is not { Length: > 0 and <= MaxEmailLength } email || !EmailAddress.TryParse(email, out var address)
            || !string.Equals(address, email.Trim(), StringComparison.OrdinalIgnoreCase))
            return ProviderRefusal.NoEmail;
        return identity.EmailVerified == false ? ProviderRefusal.EmailUnverified : null;
    }

    /// <summary>A new account with the provider's login; (null, EmailTaken) when another account has the address.</summary>
    private async Task<(MonitorUser? User, ProviderRefusal Refusal)> CreateAsync(ProviderIdentity identity, CancellationToken ct)
    {
        var email = identity.Email!.Trim();
        if (await AddressTakenAsync(email, null))
            return (null, ProviderRefusal.EmailTaken);
        var user = new MonitorUser
        {
            Id = Guid.NewGuid(),
            UserName = email,
            Email = email,
            EmailConfirmed = identity.EmailVerified == true,
            CreatedAt = time.GetUtcNow(),
        };
        // User and login in one transaction: never an account that no provider identity can reach.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            // No password: the account cannot be signed in to with one.
            var result = await users.CreateAsync(user);
            if (!result.Succeeded)
                return (null, ProviderRefusal.EmailTaken); // the address was taken in the meantime
            var login = await users.AddLoginAsync(user, new UserLoginInfo(identity.Issuer, identity.Subject, LoginDisplayName));
            if (!login.Succeeded)
                throw new InvalidOperationException($"Could not record the provider login: {string.Join(" ", login.Errors.Select(e => e.Description))}");
            await transaction.CommitAsync(ct);
            return (user, default);
        }
        catch (DbUpdateException e)
        {
            // The same person's first sign-in on two nodes at once: the other one created the account.
            await transaction.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            logger.LogInformation(e, "Creating the account of {Subject} from {Issuer} collided with another sign-in; looking it up again", identity.Subject, identity.Issuer);
            return (await users.FindByLoginAsync(identity.Issuer, identity.Subject), ProviderRefusal.EmailTaken);
        }
    }

    /// <summary>Takes on a changed address from the provider when no other account has it; otherwise keeps the old one.</summary>
    private async Task FollowEmailAsync(MonitorUser user, ProviderIdentity identity)
    {
        if (Refusal(identity) is not null || string.Equals(identity.Email!.Trim(), user.Email, StringComparison.OrdinalIgnoreCase))
            return;
        var email = identity.Email.Trim();
        if (await AddressTakenAsync(email, user.Id))
        {
            logger.LogWarning("The provider's address {Email} for {UserId} belongs to another account; the account keeps {OldEmail}", email, user.Id, user.Email);
            return;
        }
        user.UserName = email;
        user.Email = email;
        user.EmailConfirmed = identity.EmailVerified == true;
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            // Not saved; nothing later may save it by accident either.
            await db.Entry(user).ReloadAsync();
            logger.LogWarning("Could not change the address of {UserId} to {Email}: {Errors}", user.Id, email, string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    private async Task<bool> AddressTakenAsync(string email, Guid? except) =>
        (await users.FindByEmailAsync(email) is { } byEmail && byEmail.Id != except)
        || (await users.FindByNameAsync(email) is { } byName && byName.Id != except);

    /// <summary>Membership of the managed teams becomes exactly <paramref name="wanted"/>; other teams are not touched.</summary>
    private async Task SyncTeamsAsync(Guid userId, IReadOnlySet<string> wanted, IReadOnlySet<string> managed, CancellationToken ct)
    {
        if (managed.Count == 0)
            return;
        var names = managed.ToList();
        var teams = await db.Teams.Where(t => names.Contains(t.Name)).ToDictionaryAsync(t => t.Name, t => t.Id, StringComparer.Ordinal, ct);
        foreach (var name in wanted.Where(n => !teams.ContainsKey(n)))
            teams[name] = await CreateTeamAsync(name, ct);
        var managedIds = teams.Values.ToList();
        var wantedIds = wanted.Select(n => teams[n]).ToHashSet();
        var current = await db.TeamMembers.Where(m => m.UserId == userId && managedIds.Contains(m.TeamId)).ToListAsync(ct);
        db.TeamMembers.RemoveRange(current.Where(m => !wantedIds.Contains(m.TeamId)));
        foreach (var teamId in wantedIds.Where(id => current.All(m => m.TeamId != id)))
            db.TeamMembers.Add(new TeamMember { TeamId = teamId, UserId = userId, AddedAt = time.GetUtcNow() });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A team the mapping names that does not exist yet; another node may create it at the same moment.</summary>
    private async Task<Guid> CreateTeamAsync(string name, CancellationToken ct)
    {
        var team = new Team { Id = Guid.NewGuid(), Name = name, CreatedAt = time.GetUtcNow() };
        db.Teams.Add(team);
        try
        {
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Created team {Team}, named in the sign-in team mapping", name);
            return team.Id;
        }
        catch (DbUpdateException)
        {
            db.Entry(team).State = EntityState.Detached;
            return await db.Teams.Where(t => t.Name == name).Select(t => t.Id).SingleAsync(ct);
        }
    }
}
