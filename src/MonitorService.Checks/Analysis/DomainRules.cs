using MonitorService.Checks.Model;

namespace MonitorService.Checks.Analysis;

/// <summary>The domain itself: when it does not exist, that is the one thing to say.</summary>
internal static class DomainRules
{
    /// <summary>
    /// NXDOMAIN for the domain's own MX lookup means nothing exists at or below the name (RFC 8020), so "no MX",
    /// "no _mta-sts TXT" and "no TLS-RPT" are consequences, not separate problems: they are replaced by one finding.
    /// </summary>
    public static void ReportMissingDomain(CheckObservations o, List<Finding> findings)
    {
        if (!o.Mx.NoSuchName)
            return;
        findings.RemoveAll(f => f.Code is FindingCodes.MxMissing or FindingCodes.MtaStsTxtMissing or FindingCodes.TlsRptMissing);
        findings.Add(new Finding(FindingCodes.DomainNxDomain, Severity.Error, o.Domain,
            $"{o.Domain} does not exist in DNS (NXDOMAIN): there are no MX, MTA-STS or TLS-RPT records because there is no domain, and no mail can be delivered to it.",
            "RFC 8020",
            $"Check the spelling of {o.Domain}. If it is yours, check that its registration has not lapsed and that it is delegated to the name servers that serve its zone; if it is gone for good, stop monitoring it."));
    }
}
