using System.Text.RegularExpressions;

namespace MonitorService.Web.SignIn;

/// <summary>
/// Single sign-on through an OpenID Connect provider ("Auth:Oidc"): off until <see cref="Authority"/> is set. The
/// provider is configured by the operator, so its metadata and keys are trusted, but every call to it is still bounded
/// in time (<see cref="BackchannelTimeout"/>) and size (<see cref="MaxResponseBytes"/>).
/// </summary>
public sealed partial class OidcOptions
{
    /// <summary>The largest answer read from the provider (metadata, keys, tokens).</summary>
    public const int MaxResponseBytes = 1024 * 1024;

    /// <summary>The issuer URL; its metadata is read from {Authority}/.well-known/openid-configuration.</summary>
    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>Empty for a public client (PKCE alone); providers usually give web applications a secret.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for, separated by spaces; must include openid.</summary>
    public string Scopes { get; set; } = "openid profile email";

    /// <summary>The ID token claim whose values are mapped to teams and to administrator rights.</summary>
    public string TeamClaim { get; set; } = "groups";

    /// <summary>Claim value → team name. Values compare case-insensitively (they are configuration keys).</summary>
    public Dictionary<string, string> Teams { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Claim values that make someone an administrator. Empty: sign-in never changes administrator rights.</summary>
    public List<string> AdminClaimValues { get; set; } = [];

    /// <summary>Names the provider on the sign-in button ("Sign in with ...").</summary>
    public string DisplayName { get; set; } = "single sign-on";

    /// <summary>False allows an http:// authority (tests on loopback); never in production.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>A PEM file of CA certificates the provider's certificate may chain to, besides the system's (a private CA).</summary>
    public string? CaFile { get; set; }

    /// <summary>The time limit of each call to the provider (metadata, keys, token exchange).</summary>
    public TimeSpan BackchannelTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a session that began at the provider lasts from sign-in, however active (the dashboard's idle limit
    /// applies too): group changes at the provider reach the service at the next sign-in, so at the latest after this.
    /// </summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    public bool Enabled => !string.IsNullOrWhiteSpace(Authority);

    public IReadOnlyList<string> ScopeList() => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IEnumerable<string> Validate()
    {
        if (!Enabled)
        {
            if (!string.IsNullOrWhiteSpace(ClientId))
                yield return "Auth:Oidc:ClientId is set but Auth:Oidc:Authority is not: set the provider's issuer URL to turn single sign-on on.";
            yield break;
        }
        if (!Uri.TryCreate(Authority!.Trim(), UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http")
            || !string.IsNullOrEmpty(authority.Query) || !string.IsNullOrEmpty(authority.Fragment) || !string.IsNullOrEmpty(authority.UserInfo))
            yield return $"Auth:Oidc:Authority must be the provider's issuer URL (https://..., no query), not '{Authority}'.";
        else if (authority.Scheme == "http" && RequireHttpsMetadata)
            yield return $"Auth:Oidc:Authority must use https ('{Authority}'); only tests on loopback may set Auth:Oidc:RequireHttpsMetadata=false.";
        if (string.IsNullOrWhiteSpace(ClientId) || ClientId.Length > 256)
            yield return "Auth:Oidc:ClientId must be set (the client id the provider gave this service), at most 256 characters.";
        var scopes = ScopeList();
        if (!scopes.Contains("openid", StringComparer.Ordinal))
            yield return $"Auth:Oidc:Scopes must include openid, not '{Scopes}'.";
        if (scopes.Any(s => !ScopeToken().IsMatch(s)))
            yield return $"Auth:Oidc:Scopes are scope names separated by spaces, not '{Scopes}'.";
        if (string.IsNullOrWhiteSpace(TeamClaim) || TeamClaim.Length > 256)
            yield return "Auth:Oidc:TeamClaim must name a claim (such as groups or roles), at most 256 characters.";
        foreach (var (value, team) in Teams)
        {
            if (string.IsNullOrWhiteSpace(value))
                yield return "Auth:Oidc:Teams: a claim value is empty.";
            if (team.Trim().Length is 0 or > 100)
                yield return $"Auth:Oidc:Teams:{value} must name a team (1 to 100 characters), not '{team}'.";
        }
        if (AdminClaimValues.Any(string.IsNullOrWhiteSpace))
            yield return "Auth:Oidc:AdminClaimValues: a value is empty.";
        if (DisplayName.Trim().Length is 0 or > 60 || DisplayName.Any(char.IsControl))
            yield return $"Auth:Oidc:DisplayName must be 1 to 60 printable characters, not '{DisplayName}'.";
        if (BackchannelTimeout < TimeSpan.FromSeconds(1) || BackchannelTimeout > TimeSpan.FromMinutes(2))
            yield return $"Auth:Oidc:BackchannelTimeout must be from 1 second to 2 minutes, not {BackchannelTimeout}.";
        if (SessionLifetime < TimeSpan.FromSeconds(10) || SessionLifetime > TimeSpan.FromDays(1))
            yield return $"Auth:Oidc:SessionLifetime must be from 10 seconds to 1 day, not {SessionLifetime}.";
        if (CaFile is not null && !File.Exists(CaFile))
            yield return $"Auth:Oidc:CaFile {CaFile} does not exist.";
    }

    // RFC 6749 3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E )
    [GeneratedRegex(@"^[\x21\x23-\x5B\x5D-\x7E]+$")]
    private static partial Regex ScopeToken();
}
