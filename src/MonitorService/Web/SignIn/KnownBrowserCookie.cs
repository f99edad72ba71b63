using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace MonitorService.Web.SignIn;

/// <summary>
/// A cookie a browser gets when it signs in successfully, naming the account and a random browser id, protected by
/// the cluster's data-protection keys (so it cannot be forged, and every node accepts it). It exempts that browser
/// from the account's shared sign-in budget (see <see cref="SignInThrottle"/>); it grants nothing else.
/// </summary>
public sealed class KnownBrowserCookie(IDataProtectionProvider protection, TimeProvider time)
{
    public const string Name = "monitor.known";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector("MonitorService.KnownBrowser.v1").ToTimeLimitedDataProtector();

    /// <summary>The browser id when the request carries a valid cookie for <paramref name="account"/>, else null.</summary>
    public string? BrowserOf(HttpRequest request, string account)
    {
        if (request.Cookies[Name] is not { Length: > 0 and < 1024 } value)
            return null;
        try
        {
            var payload = _protector.Unprotect(value, out var expires);
            var parts = payload.Split('\n');
            return expires > time.GetUtcNow() && parts.Length == 2 && parts[0] == account ? parts[1] : null;
        }
        catch (CryptographicException)
        {
            return null; // forged, from another key ring, or expired
        }
    }

    public void Issue(HttpResponse response, string account)
    {
        var browser = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var expires = time.GetUtcNow() + Lifetime;
        response.Cookies.Append(Name, _protector.Protect(account + "\n" + browser, expires), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = "/login",
            Expires = expires,
            IsEssential = true,
        });
    }
}
