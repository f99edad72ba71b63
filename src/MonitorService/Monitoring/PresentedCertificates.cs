using MonitorService.Checks.Model;

namespace MonitorService.Monitoring;

/// <summary>Every certificate a check saw, with the host that presented it: the policy host first, then the MX hosts.</summary>
public static class PresentedCertificates
{
    public static IEnumerable<(string Host, CertificateReport Certificate)> Of(CheckReport report)
    {
        if (report.Policy?.Certificate is { } policyCertificate)
            yield return ($"mta-sts.{report.Domain}", policyCertificate);
        foreach (var mx in report.Mx)
        {
            if (mx.Tls?.Certificate is { } certificate)
                yield return (mx.Host, certificate);
        }
    }
}
