using Microsoft.AspNetCore.Identity;
using MonitorService.Storage.Entities;

namespace MonitorService.Web.SignIn;

/// <summary>
/// Checks an address and password with the same work whatever the outcome: an unknown address, a wrong password and
/// a locked account each cost one password hash verification and give the same answer, so neither the page nor
/// its timing tells which accounts exist. No failure counter: repeated failures are throttled, never locked out
/// (<see cref="SignInThrottle"/>), so nobody can lock someone else out.
/// </summary>
public sealed class PasswordCheck(UserManager<MonitorUser> users, SignInManager<MonitorUser> signIn, IPasswordHasher<MonitorUser> hasher)
{
    private static readonly MonitorUser Nobody = new() { Id = Guid.Empty, UserName = "nobody", Email = "nobody" };
    private static string? _nobodysHash;

    /// <summary>The user when the address and password are right and the account may sign in; null otherwise.</summary>
    public async Task<MonitorUser?> VerifyAsync(string email, string password)
    {
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            // Spend what a real check spends, on a hash nobody can match.
            _nobodysHash ??= hasher.HashPassword(Nobody, Guid.NewGuid().ToString());
            hasher.VerifyHashedPassword(Nobody, _nobodysHash, password);
            return null;
        }
        var passwordRight = await users.CheckPasswordAsync(user, password);
        if (!passwordRight || await users.IsLockedOutAsync(user) || !await signIn.CanSignInAsync(user))
            return null;
        return user;
    }
}
