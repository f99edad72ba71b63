namespace MonitorService.Testing;

/// <summary>The person a <see cref="TestOidcProvider"/> signs in: what its ID tokens say about them.</summary>
/// <param name="Subject">The <c>sub</c> claim: the provider's stable id of the person.</param>
/// <param name="Email">The <c>email</c> claim; null leaves it out.</param>
/// <param name="Groups">The <c>groups</c> claim, one value per group (an array in the token).</param>
/// <param name="EmailVerified">The <c>email_verified</c> claim; null leaves it out.</param>
public sealed record TestOidcUser(string Subject, string? Email, IReadOnlyList<string> Groups, bool? EmailVerified = null);
