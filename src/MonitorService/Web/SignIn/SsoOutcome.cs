using MonitorService.Accounts.Provider;

namespace MonitorService.Web.SignIn;

/// <summary>
/// Why a single sign-on did not end signed in, as the sign-in page's <c>?sso=</c> code: the page shows a fixed
/// sentence for each code (nothing from the query string is echoed), the service log says more.
/// </summary>
public static class SsoOutcome
{
    public const string Failed = "failed";
    public const string Unavailable = "unavailable";
    public const string Denied = "denied";
    public const string NoEmail = "no-email";
    public const string EmailUnverified = "unverified";
    public const string EmailTaken = "email-taken";
    public const string Disabled = "disabled";

    public static string CodeOf(ProviderRefusal refusal) => refusal switch
    {
        ProviderRefusal.NoEmail => NoEmail,
        ProviderRefusal.EmailUnverified => EmailUnverified,
        ProviderRefusal.EmailTaken => EmailTaken,
        _ => Failed,
    };

    public static string PathFor(string code) => "/login?sso=" + code;

    /// <summary>The sentence for a code; null for none or an unknown one.</summary>
    public static string? Message(string? code, string provider) => code switch
    {
        Failed => $"Signing in with {provider} did not complete. Please try again; if it keeps failing, tell your administrator (the service log says why).",
        Unavailable => $"{provider} cannot be reached right now. Please try again in a few minutes; if it stays so, tell your administrator.",
        Denied => $"{provider} did not sign you in.",
        NoEmail => $"{provider} sent no e-mail address for you, and MonitorService names accounts by it. Ask your administrator to have the provider include the email claim.",
        EmailUnverified => $"{provider} says your e-mail address is not verified yet. Verify it there, then sign in again.",
        EmailTaken => "Another MonitorService account already has your e-mail address, so you were not signed in: accounts are never joined by e-mail address. Ask your administrator.",
        Disabled => "This account is disabled.",
        _ => null,
    };
}
