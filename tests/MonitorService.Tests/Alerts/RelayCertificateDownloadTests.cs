using System.Net;
using Microsoft.Extensions.Options;
using MimeKit;
using MonitorService.Mail;
using MonitorService.Testing;

namespace MonitorService.Tests.Alerts;

/// <summary>
/// The relay's certificate is not a checked domain's, but the rule is the same: no TLS handshake of ours follows a
/// certificate's download URLs (AIA caIssuers, OCSP, CRL), which would reach past the address guard.
/// </summary>
public class RelayCertificateDownloadTests
{
    private static readonly IPAddress InternalServiceIp = IPAddress.Parse("127.0.0.43");

    [Fact]
    public async Task The_alert_relay_handshake_downloads_nothing_either()
    {
        var relayIp = IPAddress.Parse("127.0.0.42");
        using var ca = new TestCertificateAuthority(withIntermediate: true);
        await using var internalService = ConnectionCounter.Start(InternalServiceIp);
        await using var relay = await SmtpTestServer.StartAsync(
            ca.IssueLeaf(new LeafCertificateOptions { DnsNames = ["relay.example.test"], CaIssuersUrl = internalService.Url("issuer.crt") }), relayIp);
        var caFile = ca.WriteRootPemFile(Path.Combine(Path.GetTempPath(), $"monitor-relay-ca-{Guid.NewGuid():N}.pem"));
        try
        {
            var transport = new SmtpMailTransport(Options.Create(new SmtpOptions
            {
                Host = relayIp.ToString(),
                Port = relay.Port,
                Security = SmtpSecurity.StartTls,
                CaFile = caFile,
                Timeout = TimeSpan.FromSeconds(5),
            }));
            var message = new MimeMessage([MailboxAddress.Parse("monitor@example.test")], [MailboxAddress.Parse("ops@example.test")], "test", new TextPart("plain") { Text = "x" });

            // The relay sends its leaf only: the chain cannot be completed without a download, so the send fails.
            await Assert.ThrowsAsync<MailDeliveryException>(() => transport.SendAsync(message, ["ops@example.test"], CancellationToken.None));

            Assert.Equal(0, internalService.Connections);
        }
        finally
        {
            File.Delete(caFile);
        }
    }
}
