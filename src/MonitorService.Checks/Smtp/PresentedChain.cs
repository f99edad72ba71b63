using System.Security.Cryptography.X509Certificates;

namespace MonitorService.Checks.Smtp;

/// <summary>
/// The certificates a server sent in its TLS handshake, as DER, leaf first: what DANE matches its TLSA records
/// against (RFC 7672 §3.1.2: a DANE-TA(2) trust anchor must be in the chain the server sends). Only what was sent:
/// nothing is downloaded (no AIA, no revocation data). Bounded, because the server chooses what it sends.
/// </summary>
public static class PresentedChain
{
    /// <summary>Certificates kept per handshake; real chains have two to four.</summary>
    public const int MaxCertificates = 10;

    /// <summary>Largest certificate kept; real ones are 1–8 KiB, a few with thousands of names reach 40 KiB.</summary>
    public const int MaxCertificateBytes = 64 * 1024;

    public static IReadOnlyList<byte[]> Capture(X509Certificate2? leaf, IEnumerable<X509Certificate2> others)
    {
        if (leaf is null)
            return [];
        var kept = new List<byte[]> { leaf.RawData };
        foreach (var certificate in others)
        {
            if (kept.Count >= MaxCertificates)
                break;
            var der = certificate.RawData;
            if (der.Length <= MaxCertificateBytes && !kept.Any(k => k.AsSpan().SequenceEqual(der)))
                kept.Add(der);
        }
        return kept;
    }
}
