namespace MonitorService.Web.SignIn;

/// <summary>How people sign in to the dashboard (configuration section "Auth"): local passwords and single sign-on.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    public LocalPasswordOptions LocalPasswords { get; set; } = new();

    public OidcOptions Oidc { get; set; } = new();

    public IEnumerable<string> Validate()
    {
        foreach (var error in Oidc.Validate())
            yield return error;
        if (!LocalPasswords.Enabled && !Oidc.Enabled)
            yield return "Auth:LocalPasswords:Enabled=false needs single sign-on (Auth:Oidc:Authority): otherwise nobody could sign in.";
    }
}

/// <summary>Sign-in with an e-mail address and a password kept by the service ("Auth:LocalPasswords").</summary>
public sealed class LocalPasswordOptions
{
    /// <summary>
    /// False: the sign-in page offers only single sign-on and refuses posted passwords. Accounts made with
    /// <c>MonitorService users add</c> stay; turning this back on (break-glass) lets them sign in again.
    /// </summary>
    public bool Enabled { get; set; } = true;
}
