using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace MonitorService.Channels;

/// <summary>
/// Encrypts what a channel must keep secret — its URL (Slack's and Teams' carry their credential) and a webhook's
/// signing secret — with ASP.NET Core Data Protection before it is stored. The key ring is the service's own, kept in
/// the database (data_protection_keys) and encrypted there with DataProtection:CertificatePath when that is set: with
/// the certificate, a copy of the database alone reveals neither URLs nor secrets.
/// </summary>
public sealed class ChannelSecrets(IDataProtectionProvider provider)
{
    public const string SecretPrefix = "whsec_";

    private readonly IDataProtector _urls = provider.CreateProtector("MonitorService.AlertChannels", "url");
    private readonly IDataProtector _secrets = provider.CreateProtector("MonitorService.AlertChannels", "secret");

    /// <summary>A new signing secret: 256 random bits, base64url, with a prefix that says what it is.</summary>
    public static string NewSecret() =>
        SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public string ProtectUrl(Uri url) => _urls.Protect(url.AbsoluteUri);

    /// <exception cref="CryptographicException">The key it was encrypted with is not in this node's key ring.</exception>
    public Uri UnprotectUrl(string protectedUrl) => new(_urls.Unprotect(protectedUrl), UriKind.Absolute);

    public string ProtectSecret(string secret) => _secrets.Protect(secret);

    /// <exception cref="CryptographicException">The key it was encrypted with is not in this node's key ring.</exception>
    public string UnprotectSecret(string protectedSecret) => _secrets.Unprotect(protectedSecret);
}
