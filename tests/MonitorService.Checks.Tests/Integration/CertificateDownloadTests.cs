using System.Net;
using Microsoft.Extensions.Options;
using MimeKit;
using MonitorService.Checks.Model;
using MonitorService.Mail;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Checks.Tests.Integration;

/// <summary>
/// A certificate names URLs a TLS client may fetch on its own: the issuer (AIA caIssuers), OCSP, CRLs. They are
/// chosen by whoever made the certificate, so following them would let a checked domain make the monitor send
/// requests anywhere, past the address guard. The check must judge the chain with what the server sent.
/// </summary>
public class CertificateDownloadTests
{
    private static readonly IPAddress InternalServiceIp = IPAddress.Parse("127.0.0.41");

    [Fact]
    public async Task Leaf_only_chains_with_download_urls_make_no_request_and_are_reported_incomplete()
    {
        await using var env = (await StartAsync(intermediateCa: true)).PublishHealthyDomain();
        await using var internalService = ConnectionCounter.Start(InternalServiceIp);
        LeafCertificateOptions Leaf(string host) => new()
        {
            DnsNames = [host],
            CaIssuersUrl = internalService.Url("issuer.crt"),
            OcspUrl = internalService.Url("ocsp"),
            CrlUrl = internalService.Url("issuer.crl"),
        };
        env.Https.SetCertificate(PolicyHost, env.Ca.IssueLeaf(Leaf(PolicyHost)));
        env.Smtp.SetCertificate(Mx1, env.Ca.IssueLeaf(Leaf(Mx1)));
        env.Smtp.SetCertificate(Mx2, env.Ca.IssueLeaf(Leaf(Mx2)));
        // Leaf only: the intermediate is what a careless client would download.
        env.Https.ChainCertificates = [];
        env.Smtp.ChainCertificates = [];

        var report = await env.CheckAsync();

        Assert.Equal(0, internalService.Connections);
        Assert.Contains("incomplete", report.Single(FindingCodes.PolicyCertInvalid, PolicyHost).Message, StringComparison.Ordinal);
        Assert.Contains("incomplete", report.Single(FindingCodes.SmtpCertUntrusted, Mx1).Message, StringComparison.Ordinal);
        Assert.Contains("incomplete", report.Single(FindingCodes.SmtpCertUntrusted, Mx2).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_full_chain_sent_by_the_servers_is_trusted_without_downloads()
    {
        await using var env = (await StartAsync(intermediateCa: true)).PublishHealthyDomain();

        (await env.CheckAsync()).HasNoProblems();
    }

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
            await Assert.ThrowsAsync<MailDeliveryException>(() => transport.SendAsync(message, CancellationToken.None));

            Assert.Equal(0, internalService.Connections);
        }
        finally
        {
            File.Delete(caFile);
        }
    }
}
