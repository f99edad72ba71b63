using System.Net;
using MonitorService.Checks.Model;
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
}
