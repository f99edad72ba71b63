using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MonitorService.Web;

/// <summary>
/// "DataProtection" section: an optional certificate that encrypts the data-protection keys before they are stored in
/// PostgreSQL (<see cref="DatabaseKeyRepository"/>). Those keys sign the sign-in cookies and anti-forgery tokens:
/// without a certificate, whoever can read the database can forge a sign-in.
/// </summary>
public sealed class KeyRingProtectionOptions
{
    public const string SectionName = "DataProtection";

    /// <summary>PKCS#12 file (.pfx/.p12) with an RSA key pair; every node of a cluster needs the same one.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of <see cref="CertificatePath"/>, if it has one.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Loads the certificate, or says what is wrong with it. Null when none is configured.</summary>
    internal X509Certificate2? LoadCertificate(out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(CertificatePath))
        {
            return null;
        }
        var setting = $"{SectionName}:{nameof(CertificatePath)}";
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(CertificatePath, CertificatePassword);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            error = $"{setting}: cannot load '{CertificatePath}' as a PKCS#12 file with {nameof(CertificatePassword)}: {e.Message}";
            return null;
        }
        using var key = certificate.GetRSAPrivateKey();
        if (key is null)
        {
            certificate.Dispose();
            error = $"{setting}: '{CertificatePath}' holds no RSA private key (needed to encrypt and read the keys).";
            return null;
        }
        return certificate;
    }
}
