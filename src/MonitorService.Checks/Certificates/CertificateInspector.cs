using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MonitorService.Checks.Model;
using MonitorService.Checks.Parsing;

namespace MonitorService.Checks.Certificates;

/// <summary>
/// Judges a presented certificate the way RFC 8461 §3.3 and §4.2 ask: it must chain to a trusted root and carry a
/// DNS subject alternative name matching the host (RFC 6125: DNS-IDs only, no fallback to the common name, a
/// wildcard only as the whole leftmost label). Expiry is reported apart from trust, so that an expired but otherwise
/// good certificate says "expired", not "untrusted".
/// </summary>
public sealed class CertificateInspector(TrustAnchors anchors, TimeProvider timeProvider)
{
    private readonly ChainVerdictCache _verdicts = new(timeProvider);
    private int _chainBuilds;

    /// <summary>X.509 chain builds so far: the costly step of judging a certificate, counted for tests.</summary>
    internal int ChainBuilds => Volatile.Read(ref _chainBuilds);

    public CertificateReport Inspect(X509Certificate2 leaf, IEnumerable<X509Certificate2> presentedChain, string host)
    {
        var intermediates = presentedChain.Where(c => !c.RawData.AsSpan().SequenceEqual(leaf.RawData)).ToList();
        var chainKey = string.Join(':', new[] { leaf }.Concat(intermediates).Select(c => Convert.ToHexString(SHA256.HashData(c.RawData))));
        var (trusted, errors) = _verdicts.GetOrAdd(chainKey, () => EvaluateChain(leaf, intermediates));
        var dnsNames = DnsNamesOf(leaf);
        return new CertificateReport
        {
            Subject = leaf.Subject,
            Issuer = leaf.Issuer,
            DnsNames = dnsNames,
            NotBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero),
            NotAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero),
            Sha256Fingerprint = chainKey[..64].ToLowerInvariant(),
            Trusted = trusted,
            ChainErrors = errors,
            MatchesHost = dnsNames.Any(name => MxPatternMatcher.Matches(name, host)),
        };
    }

    public static IReadOnlyList<string> DnsNamesOf(X509Certificate2 certificate)
    {
        foreach (var extension in certificate.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
                return san.EnumerateDnsNames().ToList();
        }
        return [];
    }

    /// <summary>Trusted when the system roots or the configured ones vouch for the chain.</summary>
    /// <remarks>
    /// The configured roots are tried first: an operator configures them because their servers chain to them, and a
    /// build against a few roots is cheaper than one against the system store. When neither vouches, the errors are
    /// the configured roots' (they name what is missing on the way to the operator's own CA).
    /// </remarks>
    private (bool Trusted, IReadOnlyList<string> Errors) EvaluateChain(X509Certificate2 leaf, List<X509Certificate2> intermediates)
    {
        if (anchors.ExtraRoots.Count == 0)
            return BuildChain(leaf, intermediates, customRoots: null);
        var configured = BuildChain(leaf, intermediates, anchors.ExtraRoots);
        if (configured.Trusted)
            return configured;
        // System roots stay trusted; the configured roots are an addition, not a replacement.
        var system = BuildChain(leaf, intermediates, customRoots: null);
        return system.Trusted ? system : configured;
    }

    private (bool Trusted, IReadOnlyList<string> Errors) BuildChain(
        X509Certificate2 leaf, List<X509Certificate2> intermediates, IReadOnlyCollection<X509Certificate2>? customRoots)
    {
        Interlocked.Increment(ref _chainBuilds);
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        // Revocation is optional in RFC 8461 and needs network access we do not grant; expiry is judged separately.
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        policy.VerificationTime = timeProvider.GetUtcNow().UtcDateTime;
        policy.DisableCertificateDownloads = true;
        policy.ExtraStore.AddRange(intermediates.ToArray());
        if (customRoots is not null)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(customRoots.ToArray());
        }
        var valid = chain.Build(leaf);
        var errors = chain.ChainStatus
            .Where(s => s.Status != X509ChainStatusFlags.NoError && s.Status != X509ChainStatusFlags.NotTimeValid)
            .Select(s => Describe(s))
            .Distinct()
            .ToList();
        return (valid, errors);
    }

    private static string Describe(X509ChainStatus status) => status.Status switch
    {
        X509ChainStatusFlags.UntrustedRoot => "the chain ends at a root that is not trusted (self-signed or private CA)",
        X509ChainStatusFlags.PartialChain => "the chain is incomplete: an intermediate certificate is missing",
        _ => string.IsNullOrWhiteSpace(status.StatusInformation) ? status.Status.ToString() : status.StatusInformation.Trim(),
    };
}
