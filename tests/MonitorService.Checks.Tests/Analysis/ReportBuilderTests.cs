using System.Net;
using MonitorService.Checks.Analysis;
using MonitorService.Checks.Dns;
using MonitorService.Checks.Model;
using MonitorService.Checks.Policy;
using MonitorService.Checks.Smtp;

namespace MonitorService.Checks.Tests.Analysis;

/// <summary>
/// What users are told, straight from observations: <see cref="ReportBuilder.Build"/> is pure, so each case is a
/// healthy baseline with one thing changed, and the expectation is the complete list of findings it must produce.
/// Listing all of them (not "contains") is what makes a case fail when a rule starts saying too much.
/// </summary>
public class ReportBuilderTests
{
    private const string Domain = "example.com";
    private const string PolicyHost = "mta-sts.example.com";
    private const string TxtName = "_mta-sts.example.com";
    private const string Mx1 = "mx1.example.com";
    private const string Mx2 = "mx2.example.com";

    // Fixed, so that certificate expiry is judged against a known "now" rather than the clock.
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    // ---- The healthy baseline -------------------------------------------------------------------

    private static string PolicyBody(string mode, params string[] mx) =>
        $"version: STSv1\r\nmode: {mode}\r\nmax_age: 604800\r\n" + string.Concat(mx.Select(m => $"mx: {m}\r\n"));

    /// <summary>A certificate valid for a year around <see cref="Now"/>; cases override single fields with <c>with</c>.</summary>
    private static CertificateReport Cert(string host) => new()
    {
        Subject = $"CN={host}",
        Issuer = "CN=Test CA",
        DnsNames = [host],
        NotBefore = Now.AddDays(-180),
        NotAfter = Now.AddDays(180),
        Sha256Fingerprint = $"fp-{host}",
        Trusted = true,
        MatchesHost = true,
    };

    private static readonly PolicyFetchResult HealthyFetch = new()
    {
        Address = IPAddress.Parse("198.51.100.10"),
        Status = 200,
        ContentType = "text/plain",
        Body = PolicyBody("enforce", Mx1, Mx2),
        Certificate = Cert(PolicyHost),
        Elapsed = TimeSpan.FromMilliseconds(120),
    };

    private static MxHostObservation HealthyMx(int preference, string host, string address)
    {
        var ip = IPAddress.Parse(address);
        return new MxHostObservation(new MxRecordData(preference, host), new DnsAnswer<IPAddress>(DnsOutcome.Found, [ip]), [],
            new SmtpProbeResult
            {
                Address = ip,
                FailedAt = SmtpProbeStage.Done,
                Greeting = $"220 {host} ESMTP",
                StartTlsOffered = true,
                Protocol = "TLS 1.3",
                CipherSuite = "TLS_AES_256_GCM_SHA384",
                Certificate = Cert(host),
            });
    }

    private static readonly MxHostObservation HealthyMx1 = HealthyMx(10, Mx1, "198.51.100.25");
    private static readonly MxHostObservation HealthyMx2 = HealthyMx(20, Mx2, "198.51.100.26");

    private static readonly CheckObservations Healthy = new()
    {
        Domain = Domain,
        CheckedAt = Now,
        PolicyPort = 443,
        StsTxt = new DnsAnswer<string>(DnsOutcome.Found, ["v=STSv1; id=1"]),
        Mx = new DnsAnswer<MxRecordData>(DnsOutcome.Found, [HealthyMx1.Record, HealthyMx2.Record]),
        TlsRpt = new DnsAnswer<string>(DnsOutcome.Found, ["v=TLSRPTv1; rua=mailto:tlsrpt@example.com"]),
        PolicyHostAddresses = new DnsAnswer<IPAddress>(DnsOutcome.Found, [HealthyFetch.Address]),
        PolicyFetches = [HealthyFetch],
        MxHosts = [HealthyMx1, HealthyMx2],
    };

    /// <summary>The baseline with the second (backup) MX host replaced: most MX cases change one host, not both.</summary>
    private static CheckObservations WithMx2(Func<MxHostObservation, MxHostObservation> change) =>
        Healthy with { MxHosts = [HealthyMx1, change(HealthyMx2)] };

    private static CheckObservations WithPolicy(Func<PolicyFetchResult, PolicyFetchResult> change) =>
        Healthy with { PolicyFetches = [change(HealthyFetch)] };

    // ---- The table ------------------------------------------------------------------------------

    /// <summary>One row: the observations, every finding expected (code, severity, subject), the status, and report fields.</summary>
    public sealed record Case(CheckObservations Observations, (string Code, Severity Severity, string? Subject)[] Findings, string Status,
        Action<CheckReport>? Report = null);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["healthy"] = new(Healthy, [], "ok", r =>
        {
            Assert.Equal("1", r.Txt.Id);
            Assert.Equal(("enforce", 200, (long?)604800), (r.Policy!.Mode, r.Policy.HttpStatus, r.Policy.MaxAge));
            Assert.Equal("https://mta-sts.example.com/.well-known/mta-sts.txt", r.Policy.Url);
            Assert.Equal([(Mx1, true, Mx1), (Mx2, true, Mx2)], r.Mx.Select(m => (m.Host, m.Covered, m.CoveredBy)));
            Assert.All(r.Mx, m => Assert.True(m.Tls!.Starttls));
            Assert.Equal(["mailto:tlsrpt@example.com"], r.TlsRpt!.Rua);
        }),

        // NODATA: the name exists without the record. The policy is still served, which the message points out.
        ["txt missing"] = new(Healthy with { StsTxt = DnsAnswer<string>.None() },
            [(FindingCodes.MtaStsTxtMissing, Severity.Error, TxtName)], "error", r =>
            {
                Assert.Null(r.Txt.Id);
                Assert.Contains("nevertheless served", r.Findings.Single().Message, StringComparison.Ordinal);
            }),

        // A failed lookup says nothing about the zone: it must not be reported as a missing record.
        ["txt lookup failed"] = new(Healthy with { StsTxt = DnsAnswer<string>.Fail("SERVFAIL") },
            [(FindingCodes.MtaStsTxtDnsError, Severity.Error, TxtName)], "error",
            r => Assert.Equal(("SERVFAIL", (string?)null), (r.Txt.LookupError, r.Txt.Id))),

        // RFC 8020: nothing exists below an NXDOMAIN name, so every lookup of the check comes back NXDOMAIN and the
        // "missing" findings that would follow from it are folded into the one that explains them.
        ["domain nxdomain"] = new(Healthy with
        {
            StsTxt = DnsAnswer<string>.NxDomain(),
            Mx = DnsAnswer<MxRecordData>.NxDomain(),
            TlsRpt = DnsAnswer<string>.NxDomain(),
            PolicyHostAddresses = DnsAnswer<IPAddress>.NxDomain(),
            PolicyFetches = [],
            MxHosts = [],
        },
            [(FindingCodes.DomainNxDomain, Severity.Error, Domain)], "error",
            r => Assert.Equal((null, 0, null), (r.Policy, r.Mx.Count, r.TlsRpt))),

        // Under enforce a sender refuses an uncovered host, so it is an error...
        ["mx not covered, enforce"] = new(WithPolicy(f => f with { Body = PolicyBody("enforce", Mx1) }),
            [(FindingCodes.MxMismatch, Severity.Error, Mx2)], "error",
            r => Assert.Equal([(Mx1, true), (Mx2, false)], r.Mx.Select(m => (m.Host, m.Covered)))),

        // ...under testing mail still flows, so the same gap is a warning (next to the info that the mode is testing).
        ["mx not covered, testing"] = new(WithPolicy(f => f with { Body = PolicyBody("testing", Mx1) }),
            [(FindingCodes.MxMismatch, Severity.Warning, Mx2), (FindingCodes.ModeTesting, Severity.Info, "testing")], "warning"),

        // Only 200 is a policy: no policy means no coverage to judge.
        ["policy http 404"] = new(WithPolicy(f => f with { Status = 404, Body = "not found" }),
            [(FindingCodes.PolicyHttpStatus, Severity.Error, PolicyHost)], "error", r =>
            {
                Assert.Equal((404, (string?)null), (r.Policy!.HttpStatus, r.Policy.Mode));
                Assert.All(r.Mx, m => Assert.Null(m.Covered));
            }),

        ["policy cert untrusted"] = new(
            WithPolicy(f => f with { Certificate = Cert(PolicyHost) with { Trusted = false, ChainErrors = ["self-signed"] } }),
            [(FindingCodes.PolicyCertInvalid, Severity.Error, PolicyHost)], "error",
            r => Assert.Contains("self-signed", r.Findings.Single().Message, StringComparison.Ordinal)),

        ["starttls missing, enforce"] = new(
            WithMx2(h => h with { Probe = h.Probe! with { FailedAt = SmtpProbeStage.StartTls, StartTlsOffered = false, Protocol = null, CipherSuite = null, Certificate = null } }),
            [(FindingCodes.SmtpStartTlsMissing, Severity.Error, Mx2)], "error",
            r => Assert.False(r.Mx[1].Tls!.Starttls)),

        // The cert was valid until a second before the check: expiry is judged against CheckedAt, not the clock.
        ["mx cert expired"] = new(
            WithMx2(h => h with { Probe = h.Probe! with { Certificate = Cert(Mx2) with { NotAfter = Now.AddSeconds(-1) } } }),
            [(FindingCodes.SmtpCertExpired, Severity.Error, Mx2)], "error"),

        // The guard refused every address, so there was no probe; the report names the kind of address, never the address.
        ["mx addresses blocked"] = new(
            WithMx2(h => h with { Addresses = new DnsAnswer<IPAddress>(DnsOutcome.Found, [IPAddress.Parse("10.0.0.25")]), Blocked = [IPAddress.Parse("10.0.0.25")], Probe = null }),
            [(FindingCodes.NetAddressBlocked, Severity.Error, Mx2)], "error", r =>
            {
                Assert.Equal(["blocked: a private address"], r.Mx[1].Addresses);
                Assert.DoesNotContain("10.0.0.25", r.Findings.Single().Message, StringComparison.Ordinal);
            }),

        ["tlsrpt missing"] = new(Healthy with { TlsRpt = DnsAnswer<string>.None() },
            [(FindingCodes.TlsRptMissing, Severity.Warning, null)], "warning",
            r => Assert.Null(r.TlsRpt)),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Report_tells_the_user_exactly_this(string name)
    {
        var expected = Cases[name];

        var report = ReportBuilder.Build(expected.Observations);

        // Order within one severity is the rules' business; the sort across severities has its own test.
        Assert.Equal(
            expected.Findings.OrderBy(f => f.Code, StringComparer.Ordinal).ThenBy(f => f.Subject, StringComparer.Ordinal),
            report.Findings.Select(f => (f.Code, f.Severity, f.Subject)).OrderBy(f => f.Code, StringComparer.Ordinal).ThenBy(f => f.Subject, StringComparer.Ordinal));
        Assert.Equal(expected.Status, report.Status);
        Assert.Equal((Domain, Now), (report.Domain, report.CheckedAt));
        expected.Report?.Invoke(report);
    }

    [Fact]
    public void Findings_are_sorted_worst_first()
    {
        // The rules emit these as error (mx3 uncovered), info (pattern mx2 unused), then warning (no TLS-RPT),
        // so only the sort can put the warning before the info.
        var mx3 = HealthyMx(20, "mx3.example.com", "198.51.100.27");
        var observations = Healthy with
        {
            Mx = new DnsAnswer<MxRecordData>(DnsOutcome.Found, [HealthyMx1.Record, mx3.Record]),
            MxHosts = [HealthyMx1, mx3],
            TlsRpt = DnsAnswer<string>.None(),
        };

        var report = ReportBuilder.Build(observations);

        Assert.Equal(
            [(FindingCodes.MxMismatch, Severity.Error), (FindingCodes.TlsRptMissing, Severity.Warning), (FindingCodes.MxUnusedPattern, Severity.Info)],
            report.Findings.Select(f => (f.Code, f.Severity)));
    }
}
