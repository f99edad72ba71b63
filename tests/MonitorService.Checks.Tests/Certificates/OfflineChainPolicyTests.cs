using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MonitorService.Checks.Certificates;
using MonitorService.Checks.Smtp;

namespace MonitorService.Checks.Tests.Certificates;

public class OfflineChainPolicyTests
{
    /// <summary>
    /// The chain a check's TLS handshake builds is never the verdict (CertificateInspector judges the certificate),
    /// but the handshake builds it anyway. Against no root it is the cheapest build there is; against the system
    /// store it was a full second chain build per handshake, the largest CPU cost of a bulk check.
    /// </summary>
    [Fact]
    public void Inspected_handshakes_build_their_chain_offline_against_no_root()
    {
        var policy = OfflineChainPolicy.CreateForInspectedHandshake();

        Assert.Equal(X509ChainTrustMode.CustomRootTrust, policy.TrustMode);
        Assert.Empty(policy.CustomTrustStore);
        Assert.True(policy.DisableCertificateDownloads);
        Assert.Equal(X509RevocationMode.NoCheck, policy.RevocationMode);
    }

    /// <summary>The alert relay's handshake is its own verdict: it must keep trusting the system roots.</summary>
    [Fact]
    public void Handshakes_whose_chain_is_the_verdict_trust_the_system_roots()
    {
        var policy = OfflineChainPolicy.Create();

        Assert.Equal(X509ChainTrustMode.System, policy.TrustMode);
        Assert.True(policy.DisableCertificateDownloads);
        Assert.Equal(X509RevocationMode.NoCheck, policy.RevocationMode);
    }

    [Fact]
    public void The_smtp_client_builds_against_no_root_only_when_its_callback_inspects_the_certificate()
    {
        Assert.Equal(X509ChainTrustMode.System, new OptionsProbe().ChainPolicy().TrustMode);
        Assert.Equal(X509ChainTrustMode.CustomRootTrust, new OptionsProbe { CertificateInspectedByCallback = true }.ChainPolicy().TrustMode);
    }

    private sealed class OptionsProbe : OfflineSmtpClient
    {
        public X509ChainPolicy ChainPolicy() =>
            GetSslClientAuthenticationOptions("mx.example.test", (_, _, _, _) => true).CertificateChainPolicy!;
    }
}
