using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MonitorService.Mail;

/// <summary>
/// Certificate checks for our own mail servers (the SMTP relay, the TLS-RPT mailbox): the system's validation, plus
/// private roots from a configured CA file. Only a chain error may be forgiven by those roots; a wrong host name never
/// is. The chain is built offline: no certificate download, no revocation fetch.
/// </summary>
internal static class PrivateRootCertificates
{
    public static X509Certificate2Collection LoadRoots(string file)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(file);
        return roots;
    }

    public static bool Validate(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (errors == SslPolicyErrors.None)
            return true;
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
            return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
