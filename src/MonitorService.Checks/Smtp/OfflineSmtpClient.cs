using System.Net.Security;
using MailKit;
using MailKit.Net.Smtp;
using MonitorService.Checks.Certificates;

namespace MonitorService.Checks.Smtp;

/// <summary>
/// MailKit's <see cref="SmtpClient"/> whose TLS handshakes never download a certificate or revocation data
/// (<see cref="OfflineChainPolicy"/>). MailKit builds the handshake options in one overridable place; everything
/// else is MailKit's.
/// </summary>
public class OfflineSmtpClient : SmtpClient
{
    /// <summary>
    /// True when the validation callback judges the certificate itself and ignores the handshake's chain (the
    /// STARTTLS probe): the handshake then builds its chain against no root (<see cref="OfflineChainPolicy.CreateForInspectedHandshake"/>).
    /// False (the alert relay) keeps the system roots, whose verdict MailKit's validation uses.
    /// </summary>
    public bool CertificateInspectedByCallback { get; init; }

    public OfflineSmtpClient()
    {
    }

    public OfflineSmtpClient(IProtocolLogger protocolLogger)
        : base(protocolLogger)
    {
    }

    protected override SslClientAuthenticationOptions GetSslClientAuthenticationOptions(string host, RemoteCertificateValidationCallback remoteCertificateValidationCallback)
    {
        var options = base.GetSslClientAuthenticationOptions(host, remoteCertificateValidationCallback);
        options.CertificateRevocationCheckMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        options.CertificateChainPolicy = CertificateInspectedByCallback ? OfflineChainPolicy.CreateForInspectedHandshake() : OfflineChainPolicy.Create();
        return options;
    }
}
