namespace MonitorService.Web.Security;

/// <summary>
/// Requests per <see cref="Window"/> (section "Web:RateLimits"). Counted per node in memory: with N nodes behind a
/// load balancer a caller gets at most N times these.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>The window of every limit below except <see cref="SignInAccountWindow"/>.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Every request from one client address, whoever it is (a backstop, also for token guessing).</summary>
    public int PerAddress { get; set; } = 1200;

    /// <summary>Requests without a session or token (sign-in page, assets, refused API calls) from one address.</summary>
    public int PerAnonymousAddress { get; set; } = 120;

    /// <summary>Dashboard requests of one signed-in user.</summary>
    public int PerUser { get; set; } = 600;

    /// <summary>API requests with one token.</summary>
    public int PerToken { get; set; } = 600;

    /// <summary>Sign-in attempts (posted forms) from one client address.</summary>
    public int SignInPerAddress { get; set; } = 10;

    /// <summary>
    /// Sign-in attempts on one account from browsers that have not signed in to it before, per
    /// <see cref="SignInAccountWindow"/>. A browser that has signed in to the account has a budget of its own.
    /// </summary>
    public int SignInPerAccount { get; set; } = 10;

    public TimeSpan SignInAccountWindow { get; set; } = TimeSpan.FromMinutes(15);

    public IEnumerable<string> Validate()
    {
        if (Window < TimeSpan.FromSeconds(1) || Window > TimeSpan.FromHours(1))
            yield return $"Web:RateLimits:Window must be from 1 second to 1 hour, not {Window}.";
        if (SignInAccountWindow < TimeSpan.FromSeconds(1) || SignInAccountWindow > TimeSpan.FromDays(1))
            yield return $"Web:RateLimits:SignInAccountWindow must be from 1 second to 1 day, not {SignInAccountWindow}.";
        foreach (var (name, value) in new[]
        {
            (nameof(PerAddress), PerAddress), (nameof(PerAnonymousAddress), PerAnonymousAddress), (nameof(PerUser), PerUser),
            (nameof(PerToken), PerToken), (nameof(SignInPerAddress), SignInPerAddress), (nameof(SignInPerAccount), SignInPerAccount),
        })
        {
            if (value < 1)
                yield return $"Web:RateLimits:{name} must be at least 1, not {value}.";
        }
    }
}
