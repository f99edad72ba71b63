using System.Security.Cryptography.X509Certificates;

namespace MonitorService.Checks.Certificates;

/// <summary>
/// The chain policy of every TLS handshake we make to a server: build the chain only from what the server sent and
/// the local trust store. By default .NET downloads a missing issuer from the URL in the certificate (AIA caIssuers)
/// and may fetch revocation data (OCSP, CRL); those URLs are chosen by whoever made the certificate, and the fetch
/// goes through the operating system's resolver to any address, past <see cref="Net.AddressGuard"/>. Senders built
/// on OpenSSL do not download either, so an incomplete chain is what they see too.
/// </summary>
public static class OfflineChainPolicy
{
    /// <summary>
    /// For handshakes whose chain is the verdict (the alert relay): the system roots. A new policy per handshake:
    /// SslStream adds the peer's certificates to its ExtraStore.
    /// </summary>
    public static X509ChainPolicy Create() => new()
    {
        DisableCertificateDownloads = true,
        RevocationMode = X509RevocationMode.NoCheck,
        // Irrelevant while downloads are off; zero in case a future default turns one back on.
        UrlRetrievalTimeout = TimeSpan.Zero,
    };

    /// <summary>
    /// For the checks' handshakes, whose validation callbacks accept every certificate and hand it to
    /// <see cref="CertificateInspector"/>: the chain the handshake builds anyway is not the verdict, so it trusts no
    /// root. Built against the system store it was a full second chain build per handshake, the largest share of a
    /// check's CPU time; against an empty custom store it is a few times cheaper and still hands the callback the
    /// certificates the server sent. Never for a handshake whose own verdict counts.
    /// </summary>
    public static X509ChainPolicy CreateForInspectedHandshake()
    {
        var policy = Create();
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust; // with an empty CustomTrustStore
        return policy;
    }
}
