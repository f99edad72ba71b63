using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MonitorService.Testing.Dane;

/// <summary>
/// TLSA association data for a test certificate (RFC 6698 §2.1), computed here on its own, not with the engine's
/// matcher, so that a test of the matcher cannot agree with a wrong matcher.
/// </summary>
public static class TlsaData
{
    /// <param name="selector">0 the whole certificate (DER), 1 its SubjectPublicKeyInfo.</param>
    /// <param name="matchingType">0 the selected bytes, 1 their SHA-256, 2 their SHA-512.</param>
    public static byte[] For(X509Certificate2 certificate, byte selector, byte matchingType)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        byte[] selected = selector == 0 ? certificate.RawData : certificate.PublicKey.ExportSubjectPublicKeyInfo();
        return matchingType switch
        {
            0 => selected,
            1 => SHA256.HashData(selected),
            2 => SHA512.HashData(selected),
            _ => throw new ArgumentOutOfRangeException(nameof(matchingType)),
        };
    }

    /// <summary>The presentation form "3 1 1 &lt;hex&gt;" of the record for this certificate.</summary>
    public static string Presentation(X509Certificate2 certificate, byte usage, byte selector, byte matchingType) =>
        $"{usage} {selector} {matchingType} {Convert.ToHexStringLower(For(certificate, selector, matchingType))}";
}
