using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using MonitorService.Web.Security;

namespace MonitorService.Web.SignIn;

/// <summary>
/// Sign-in attempts per account, instead of a lockout. Attempts from browsers that have not signed in to the account
/// before share one budget per account (<c>Web:RateLimits:SignInPerAccount</c> per <c>SignInAccountWindow</c>); a
/// browser that has (<see cref="KnownBrowserCookie"/>) has a budget of its own. So an attacker who spends the
/// shared budget delays only new browsers, by at most the window after they stop, and never the browsers the
/// owner already uses. Keyed by the address typed, not by the account found: unknown addresses are throttled the
/// same way and reveal nothing.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private readonly TimeSpan _window;
    private readonly PartitionedRateLimiter<string> _limiter;

    public SignInThrottle(IOptions<WebOptions> options)
    {
        var limits = options.Value.RateLimits;
        _window = limits.SignInAccountWindow;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limits.SignInPerAccount,
            Window = limits.SignInAccountWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Null when the attempt may go ahead; otherwise how long to wait.</summary>
    /// <param name="account">The address as typed, normalised.</param>
    /// <param name="knownBrowser">The browser's identity from its cookie for this account, or null.</param>
    public TimeSpan? TryAttempt(string account, string? knownBrowser)
    {
        using var lease = _limiter.AttemptAcquire(knownBrowser is null ? "account:" + account : "browser:" + account + "/" + knownBrowser);
        return lease.IsAcquired ? null : RateLimitRejection.RetryAfter(lease, _window);
    }

    public void Dispose() => _limiter.Dispose();
}
