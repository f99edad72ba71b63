using System.Security.Cryptography.X509Certificates;

namespace MonitorService.Checks.Dane;

/// <summary>
/// For a DANE-TA(2) record: whether the leaf chains, through what the server sent, to the certificate the record
/// matched, with that certificate as the only trust anchor (RFC 7672 §3.1.2). Nothing is downloaded, revocation is not
/// checked, and validity dates are left to the certificate findings (a sender checks them too, but reporting an
/// expired certificate as a TLSA mismatch would hide the real problem).
/// </summary>
internal static class DaneChainCheck
{
    /// <summary>Chain builds on this thread (evaluation is synchronous): the costly step, counted for tests.</summary>
    [ThreadStatic]
    private static int t_builds;

    internal static int BuildsOnThisThread => t_builds;

    public static bool ChainsTo(X509Certificate2 leaf, X509Certificate2 trustAnchor, IReadOnlyList<X509Certificate2> presented)
    {
        if (leaf.RawData.AsSpan().SequenceEqual(trustAnchor.RawData))
            return true;
        t_builds++;
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.Add(trustAnchor);
        policy.ExtraStore.AddRange(presented.ToArray());
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.UrlRetrievalTimeout = TimeSpan.Zero;
        policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        if (chain.Build(leaf))
            return true;
        // A trust anchor that is an intermediate (not self-signed) ends the chain as "partial" on some platforms,
        // though every signature up to it verified: accept exactly that, when the anchor is in the built chain.
        var reachedAnchor = chain.ChainElements.Any(e => e.Certificate.RawData.AsSpan().SequenceEqual(trustAnchor.RawData));
        var onlyPartial = chain.ChainStatus.All(s => s.Status is X509ChainStatusFlags.NoError or X509ChainStatusFlags.PartialChain
            or X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.NotTimeValid);
        return reachedAnchor && onlyPartial && chain.ChainElements[0].Certificate.RawData.AsSpan().SequenceEqual(leaf.RawData);
    }
}
