using System.Net;
using System.Security.Cryptography.X509Certificates;
using MonitorService.Checks.Analysis;
using MonitorService.Checks.Dane;
using MonitorService.Checks.Dns;
using MonitorService.Checks.Model;
using MonitorService.Checks.Smtp;
using MonitorService.Testing.Dane;

namespace MonitorService.Checks.Tests.Dane;

/// <summary>The DANE findings, from constructed DNS answers (with DNSSEC statuses) and real test certificates.</summary>
public sealed class DaneRulesTests : IDisposable
{
    private const string Domain = "example.test";
    private const string Host = "mx1.example.test";
    private const string TlsaName = "_25._tcp.mx1.example.test";
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly TestCertificateAuthority _ca = new(withIntermediate: true);
    private readonly X509Certificate2 _leaf;

    public DaneRulesTests() => _leaf = _ca.IssueLeaf(Host);

    public void Dispose() => _ca.Dispose();

    private static TlsaRecordData Record(X509Certificate2 certificate, byte usage, byte selector, byte matchingType) =>
        new(usage, selector, matchingType, TlsaData.For(certificate, selector, matchingType));

    private DaneEvaluation Evaluate(DnssecStatus security, X509Certificate2 leaf, params TlsaRecordData[] records) =>
        DaneEvaluator.Evaluate(new DaneObservation(Host, Host, new DnsAnswer<TlsaRecordData>(DnsOutcome.Found, records) { Security = security }),
            security, security, [leaf.RawData, _ca.IntermediateCertificate!.RawData])!;

    private List<Finding> HostFindings(DnssecStatus security, X509Certificate2 leaf, params TlsaRecordData[] records) =>
        DaneRules.EvaluateHost(Evaluate(security, leaf, records), Domain, Now).ToList();

    [Fact]
    public void A_matching_record_far_from_expiry_says_nothing() =>
        Assert.Empty(HostFindings(DnssecStatus.Secure, _leaf, Record(_leaf, 3, 1, 1)));

    [Fact]
    public void A_renewal_with_a_new_key_is_an_error_whose_fix_is_the_new_keys_record()
    {
        var renewed = _ca.IssueLeaf(Host);
        var finding = Assert.Single(HostFindings(DnssecStatus.Secure, renewed, Record(_leaf, 3, 1, 1)));

        Assert.Equal((FindingCodes.DaneTlsaMismatch, Severity.Error, Host, "RFC 7672 §3.1"), (finding.Code, finding.Severity, finding.Subject, finding.Rfc));
        Assert.Contains($"\"{TlsaName}. IN TLSA {TlsaData.Presentation(renewed, 3, 1, 1)}\"", finding.Fix);
    }

    [Fact]
    public void A_trust_anchor_record_failing_only_the_name_check_says_to_fix_the_name()
    {
        var finding = Assert.Single(HostFindings(DnssecStatus.Secure, _ca.IssueLeaf("other.example.net"), Record(_ca.IntermediateCertificate!, 2, 0, 1)));

        Assert.Equal(FindingCodes.DaneTlsaMismatch, finding.Code);
        Assert.Contains("names other.example.net", finding.Message);
        Assert.StartsWith($"Add {Host} to the certificate's subject alternative names", finding.Fix);
    }

    [Fact]
    public void Records_in_an_unsigned_zone_are_a_warning_not_a_mismatch()
    {
        var finding = Assert.Single(HostFindings(DnssecStatus.Insecure, _ca.IssueLeaf(Host), Record(_leaf, 3, 1, 1)));

        Assert.Equal((FindingCodes.DaneTlsaInsecure, Severity.Warning, "RFC 7672 §2.2"), (finding.Code, finding.Severity, finding.Rfc));
        Assert.Contains($"the MX answer of {Domain} is not DNSSEC-signed", finding.Message);
    }

    [Fact]
    public void Without_validation_nothing_that_depends_on_it_is_concluded() =>
        Assert.Empty(HostFindings(DnssecStatus.NotValidated, _ca.IssueLeaf(Host), Record(_leaf, 3, 1, 1)));

    [Fact]
    public void Unusable_usages_are_warnings_with_the_record_to_use_instead()
    {
        var findings = HostFindings(DnssecStatus.Secure, _leaf, Record(_leaf, 1, 1, 1), Record(_leaf, 3, 1, 1));

        var finding = Assert.Single(findings);
        Assert.Equal((FindingCodes.DaneTlsaUnusable, Severity.Warning, "RFC 7672 §3.1.3"), (finding.Code, finding.Severity, finding.Rfc));
        Assert.Contains("usage 1 (PKIX-EE) is unusable for SMTP", finding.Message);
        Assert.Contains(TlsaData.Presentation(_leaf, 3, 1, 1), finding.Fix);
    }

    [Fact]
    public void A_certificate_near_expiry_whose_key_is_the_only_one_pinned_is_a_rollover_risk()
    {
        var expiring = _ca.IssueLeafExpiringIn(TimeSpan.FromDays(10), Host);

        var finding = Assert.Single(HostFindings(DnssecStatus.Secure, expiring, Record(expiring, 3, 1, 1)));
        Assert.Equal((FindingCodes.DaneRolloverRisk, Severity.Warning), (finding.Code, finding.Severity));
        Assert.Contains("3 1 1", finding.Fix);
        Assert.Contains("--reuse-key", finding.Fix);

        // A pre-published record for the next key, or a trust-anchor record, is what removes the risk.
        Assert.Empty(HostFindings(DnssecStatus.Secure, expiring, Record(expiring, 3, 1, 1), Record(_ca.IssueLeaf(Host), 3, 1, 1)));
        Assert.Empty(HostFindings(DnssecStatus.Secure, expiring, Record(expiring, 3, 1, 1), Record(_ca.IntermediateCertificate!, 2, 1, 1)));
    }

    [Fact]
    public void A_failed_tlsa_lookup_on_a_secure_host_is_an_error()
    {
        var failed = DaneEvaluator.Evaluate(new DaneObservation(Host, Host, DnsAnswer<TlsaRecordData>.Fail("the DNS server answered SERVFAIL")),
            DnssecStatus.Secure, DnssecStatus.Secure, [])!;

        var finding = Assert.Single(DaneRules.EvaluateHost(failed, Domain, Now));
        Assert.Equal((FindingCodes.DaneTlsaDnsError, Severity.Error), (finding.Code, finding.Severity));
    }

    [Fact]
    public void With_dane_in_force_the_missing_tls_rpt_record_is_the_dane_warning_and_mta_sts_beside_it_is_explained()
    {
        var report = ReportBuilder.Build(Observations(tlsRpt: DnsAnswer<string>.None(), Record(_leaf, 3, 1, 1)));

        Assert.DoesNotContain(report.Findings, f => f.Code == FindingCodes.TlsRptMissing);
        var missing = Assert.Single(report.Findings, f => f.Code == FindingCodes.DaneTlsRptMissing);
        Assert.Equal((Severity.Warning, $"_smtp._tls.{Domain}"), (missing.Severity, missing.Subject));
        var both = Assert.Single(report.Findings, f => f.Code == FindingCodes.DaneWithMtaSts);
        Assert.Equal(Severity.Info, both.Severity);
        Assert.Contains("Microsoft 365", both.Message);
        var dane = report.Mx.Single().Dane!;
        Assert.Equal((TlsaName, DaneStatuses.Matched, true, true, true), (dane.TlsaName, dane.Status, dane.Matched, dane.Usable, dane.Secure));
    }

    [Fact]
    public void Without_tlsa_records_the_report_has_no_dane_entry_and_the_general_tls_rpt_finding_stays()
    {
        var report = ReportBuilder.Build(Observations(tlsRpt: DnsAnswer<string>.None()));

        Assert.Null(report.Mx.Single().Dane);
        Assert.Contains(report.Findings, f => f.Code == FindingCodes.TlsRptMissing);
        Assert.DoesNotContain(report.Findings, f => f.Code.StartsWith("DANE_", StringComparison.Ordinal));
    }

    private CheckObservations Observations(DnsAnswer<string> tlsRpt, params TlsaRecordData[] tlsa)
    {
        var ip = IPAddress.Parse("192.0.2.25");
        var mx = new DnsAnswer<MxRecordData>(DnsOutcome.Found, [new MxRecordData(10, Host)]) { Security = DnssecStatus.Secure };
        var addresses = new DnsAnswer<IPAddress>(DnsOutcome.Found, [ip]) { Security = DnssecStatus.Secure };
        var tlsaAnswer = tlsa.Length == 0 ? DnsAnswer<TlsaRecordData>.None() : new DnsAnswer<TlsaRecordData>(DnsOutcome.Found, tlsa) { Security = DnssecStatus.Secure };
        var body = $"version: STSv1\r\nmode: enforce\r\nmax_age: 604800\r\nmx: {Host}\r\n";
        return new CheckObservations
        {
            Domain = Domain,
            CheckedAt = Now,
            PolicyPort = 443,
            StsTxt = new DnsAnswer<string>(DnsOutcome.Found, ["v=STSv1; id=1"]),
            Mx = mx,
            TlsRpt = tlsRpt,
            PolicyHostAddresses = new DnsAnswer<IPAddress>(DnsOutcome.Found, [IPAddress.Parse("192.0.2.10")]),
            PolicyFetches = [new Policy.PolicyFetchResult { Address = IPAddress.Parse("192.0.2.10"), Status = 200, ContentType = "text/plain", Body = body, Elapsed = TimeSpan.FromMilliseconds(5) }],
            MxHosts =
            [
                new MxHostObservation(new MxRecordData(10, Host), addresses, [], new SmtpProbeResult
                {
                    Address = ip, FailedAt = SmtpProbeStage.Done, StartTlsOffered = true, Protocol = "TLS 1.3",
                    PresentedChain = [_leaf.RawData, _ca.IntermediateCertificate!.RawData],
                }) { Dane = new DaneObservation(Host, Host, tlsaAnswer) },
            ],
        };
    }
}
