using MonitorService.Storage.Entities;

namespace MonitorService.Accounts.Provider;

/// <summary>Why a provider's sign-in was not let in (each has its own message on the sign-in page).</summary>
public enum ProviderRefusal
{
    /// <summary>The provider sent no e-mail address, which names the account.</summary>
    NoEmail,
    /// <summary>The provider says the e-mail address is not verified.</summary>
    EmailUnverified,
    /// <summary>Another account (a local one, or another provider identity) has the address.</summary>
    EmailTaken,
}

/// <summary>The account a provider identity signs in to, with what this sign-in changed, or why it was refused.</summary>
public sealed record ProviderSignIn(MonitorUser? User, ProviderRefusal? Refusal, bool Created, IReadOnlySet<string> Teams, bool IsAdmin)
{
    public static ProviderSignIn Refused(ProviderRefusal refusal) => new(null, refusal, false, new HashSet<string>(), false);
}
