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
        options.CertificateChainPolicy = OfflineChainPolicy.Create();
        return options;
    }
}
