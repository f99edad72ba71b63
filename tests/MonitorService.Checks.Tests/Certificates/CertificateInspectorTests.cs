using MonitorService.Checks.Certificates;

namespace MonitorService.Checks.Tests.Certificates;

public class CertificateInspectorTests
{
    [Fact]
    public void A_certificate_from_the_configured_roots_is_trusted_after_one_chain_build()
    {
        using var ca = new TestCertificateAuthority();
        var inspector = new CertificateInspector(new TrustAnchors([ca.RootCertificate]), TimeProvider.System);

        var report = inspector.Inspect(ca.IssueLeaf("mx.example.test"), [], "mx.example.test");

        Assert.True(report.Trusted);
        Assert.Empty(report.ChainErrors);
        Assert.Equal(1, inspector.ChainBuilds);
    }

    [Fact]
    public void A_certificate_no_root_vouches_for_is_tried_against_both_and_reported_untrusted()
    {
        using var configured = new TestCertificateAuthority();
        using var other = new TestCertificateAuthority("Some Other Root CA");
        var inspector = new CertificateInspector(new TrustAnchors([configured.RootCertificate]), TimeProvider.System);

        var report = inspector.Inspect(other.IssueLeaf("mx.example.test"), [], "mx.example.test");

        Assert.False(report.Trusted);
        Assert.NotEmpty(report.ChainErrors);
        Assert.Equal(2, inspector.ChainBuilds); // the configured roots, then the system's
    }
}
