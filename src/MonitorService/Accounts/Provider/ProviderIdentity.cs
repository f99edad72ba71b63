namespace MonitorService.Accounts.Provider;

/// <summary>What an identity provider vouched for at one sign-in, as read from its validated ID token.</summary>
/// <param name="Issuer">The token's issuer (<c>iss</c>): with <paramref name="Subject"/>, the account's key.</param>
/// <param name="Subject">The provider's stable id of the person (<c>sub</c>), unique within its issuer.</param>
/// <param name="Email">The <c>email</c> claim, or null when the provider sent none.</param>
/// <param name="EmailVerified">The <c>email_verified</c> claim, or null when the provider sent none.</param>
/// <param name="GroupValues">Every value of the configured team claim (such as <c>groups</c>).</param>
public sealed record ProviderIdentity(string Issuer, string Subject, string? Email, bool? EmailVerified, IReadOnlyList<string> GroupValues);
