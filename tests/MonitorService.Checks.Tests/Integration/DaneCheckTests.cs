using System.Security.Cryptography.X509Certificates;
using MonitorService.Checks.Model;
using MonitorService.Testing.Dane;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Checks.Tests.Integration;

/// <summary>
/// DANE end to end on loopback: TLSA records served by the test DNS server, STARTTLS servers presenting a chain from
/// the test CA (intermediate → leaf), and the real probe. The records are served from the signed test hierarchy
/// (test root, <c>test.</c>, <c>example.test.</c>) and judged by the engine's own DNSSEC validator, as in production:
/// a test breaks a zone's signatures or leaves one unsigned to see what DANE senders would make of it.
/// </summary>
public class DaneCheckTests
{
    private const string Tlsa1 = "_25._tcp.mx1.example.test";

    /// <summary>A healthy domain whose MX hosts send leaf and intermediate; mx1 presents <c>leaf</c>; zones signed unless <paramref name="signed"/> is false.</summary>
    private static async Task<(CheckEnvironment Env, X509Certificate2 Leaf)> StartAsync(bool signed = true)
    {
        var env = (await CheckEnvironment.StartAsync(intermediateCa: true)).PublishHealthyDomain();
        var leaf = env.Ca.IssueLeaf(Mx1);
        env.Smtp.SetCertificate(Mx1, leaf);
        if (signed)
            env.SignZones();
        return (env, leaf);
    }

    /// <summary>
    /// Only DANE and DNSSEC findings: on the signed hierarchy the name-server survey also reports its test name server
    /// <c>ns.example.test</c> (which has no address) as lame, which is not what these tests are about.
    /// </summary>
    private static void HasNoDaneOrDnssecProblems(CheckReport report) =>
        Assert.True(!report.Findings.Any(f => f.Severity != Severity.Info && (f.Code.StartsWith("DANE_", StringComparison.Ordinal) || f.Code.StartsWith("DNSSEC_", StringComparison.Ordinal))),
            $"expected no DANE or DNSSEC warnings or errors. Findings:\n{ReportAssertions.Describe(report)}");

    private static void AddTlsa(CheckEnvironment env, X509Certificate2 certificate, byte usage, byte selector, byte matchingType, string name = Tlsa1) =>
        env.Zone.AddTlsa(name, usage, selector, matchingType, TlsaData.For(certificate, selector, matchingType));

    [Theory]
    [InlineData(3, 1, 1, false)]
    [InlineData(3, 0, 1, false)]
    [InlineData(2, 0, 1, true)]
    [InlineData(2, 1, 1, true)]
    public async Task A_record_matching_the_leaf_or_the_sent_intermediate_is_matched(byte usage, byte selector, byte matchingType, bool ofIntermediate)
    {
        var (env, leaf) = await StartAsync();
        await using var _ = env;
        AddTlsa(env, ofIntermediate ? env.Ca.IntermediateCertificate! : leaf, usage, selector, matchingType);

        var report = await env.CheckAsync();

        var dane = report.Mx.Single(m => m.Host == Mx1).Dane!;
        Assert.Equal((Tlsa1, DaneStatuses.Matched, true, true, (bool?)true), (dane.TlsaName, dane.Status, dane.Secure, dane.Usable, dane.Matched));
        Assert.Equal(new DaneSecurity("secure", "secure", "secure"), dane.Dnssec);
        Assert.Null(report.Mx.Single(m => m.Host == Mx2).Dane);
        report.Lacks(FindingCodes.DaneTlsaMismatch);
        Assert.Equal(Severity.Info, report.Single(FindingCodes.DaneWithMtaSts).Severity);
        HasNoDaneOrDnssecProblems(report);
    }

    [Theory]
    [InlineData(3, 1, 1)]
    [InlineData(3, 0, 1)]
    public async Task A_certificate_renewed_with_a_new_key_no_longer_matches_and_the_fix_is_its_record(byte usage, byte selector, byte matchingType)
    {
        var (env, oldLeaf) = await StartAsync();
        await using var _ = env;
        AddTlsa(env, oldLeaf, usage, selector, matchingType);
        var renewed = env.Ca.IssueLeaf(Mx1);
        env.Smtp.SetCertificate(Mx1, renewed);

        var report = await env.CheckAsync();

        var finding = report.Single(FindingCodes.DaneTlsaMismatch, Mx1);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains($"{Tlsa1}. IN TLSA {TlsaData.Presentation(renewed, 3, 1, 1)}", finding.Fix);
        Assert.Equal(DaneStatuses.Mismatch, report.Mx.Single(m => m.Host == Mx1).Dane!.Status);
    }

    [Theory]
    [InlineData(2, 0, 1)]
    [InlineData(2, 1, 1)]
    public async Task A_trust_anchor_record_of_another_ca_matches_nothing_the_server_sent(byte usage, byte selector, byte matchingType)
    {
        var (env, _) = await StartAsync();
        await using var __ = env;
        using var otherCa = new TestCertificateAuthority("Other Test Root", withIntermediate: true);
        AddTlsa(env, otherCa.IntermediateCertificate!, usage, selector, matchingType);

        var report = await env.CheckAsync();

        Assert.Equal(Severity.Error, report.Single(FindingCodes.DaneTlsaMismatch, Mx1).Severity);
    }

    /// <param name="unsignedZone">An unsigned zone delegated from the signed <c>example.test</c> (no DS): the MX host's own
    /// zone (its addresses and TLSA records unsigned), or one holding only the TLSA records.</param>
    [Theory]
    [InlineData("mx1.example.test", "the addresses of mx1.example.test are not DNSSEC-signed", "insecure", "insecure")]
    [InlineData("_tcp.mx1.example.test", "the TLSA answer for _25._tcp.mx1.example.test is not DNSSEC-signed", "secure", "insecure")]
    public async Task Records_in_an_unsigned_zone_are_ignored_by_senders_and_say_so(string unsignedZone, string why, string addresses, string tlsa)
    {
        var (env, leaf) = await StartAsync();
        await using var _ = env;
        env.Dnssec!.AddZone(unsignedZone, algorithm: 0);
        AddTlsa(env, leaf, 3, 1, 1);

        var report = await env.CheckAsync();

        var finding = report.Single(FindingCodes.DaneTlsaInsecure, Mx1);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains(why, finding.Message);
        var dane = report.Mx.Single(m => m.Host == Mx1).Dane!;
        Assert.Equal((DaneStatuses.Insecure, false, new DaneSecurity("secure", addresses, tlsa)), (dane.Status, dane.Secure, dane.Dnssec));
        report.Lacks(FindingCodes.DaneWithMtaSts);
        report.Lacks(FindingCodes.DaneTlsaMismatch);
    }

    [Fact]
    public async Task Expired_signatures_over_the_whole_domain_make_dane_bogus_and_the_expired_answers_errors()
    {
        var (env, leaf) = await StartAsync();
        await using var _ = env;
        env.Dnssec!.Zone(Domain).ExpiredSince = TimeSpan.FromDays(2);
        AddTlsa(env, leaf, 3, 1, 1);

        var report = await env.CheckAsync();

        var dane = report.Mx.Single(m => m.Host == Mx1).Dane!;
        Assert.Equal((DaneStatuses.Bogus, false, new DaneSecurity("bogus", "bogus", "bogus")), (dane.Status, dane.Secure, dane.Dnssec));
        Assert.Equal("error", report.Status);
        // Senders cannot resolve the MX answer at all: the expired signature is the error to fix, not the TLSA match.
        Assert.Equal(Severity.Error, report.Single(FindingCodes.DnssecRrsigExpired, Domain).Severity);
        report.Lacks(FindingCodes.DaneTlsaMismatch);
        report.Lacks(FindingCodes.DaneTlsaDnsError);
        report.Lacks(FindingCodes.DaneWithMtaSts);
    }

    /// <summary>
    /// The MX answer and the host's addresses are secure, only the TLSA answer fails validation (its own zone is
    /// broken): validating senders get SERVFAIL for the TLSA lookup and defer mail to the host (RFC 7672 §2.1.1).
    /// </summary>
    [Theory]
    [InlineData(true, "expired")]
    [InlineData(false, "does not verify")]
    public async Task A_tlsa_answer_that_fails_validation_is_an_error_naming_the_deferred_host(bool expired, string reason)
    {
        var (env, leaf) = await StartAsync();
        await using var _ = env;
        var tlsaZone = env.Dnssec!.AddZone("_tcp.mx1.example.test");
        if (expired)
            tlsaZone.ExpiredSince = TimeSpan.FromDays(2);
        else
            tlsaZone.CorruptSignatures = true;
        AddTlsa(env, leaf, 3, 1, 1);

        var report = await env.CheckAsync();

        var dane = report.Mx.Single(m => m.Host == Mx1).Dane!;
        Assert.Equal((DaneStatuses.Bogus, false, new DaneSecurity("secure", "secure", "bogus")), (dane.Status, dane.Secure, dane.Dnssec));
        var finding = report.Single(FindingCodes.DaneTlsaDnsError, Mx1);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains(Tlsa1, finding.Message);
        Assert.Contains(reason, finding.Message);
        Assert.Contains("defer", finding.Message);
        Assert.Equal("error", report.Status);
        report.Lacks(FindingCodes.DaneTlsaMismatch);
    }

    /// <summary>
    /// No TLSA records, and the denial that says so fails validation while the MX and address answers are secure (a
    /// signer that breaks its NSEC proofs for underscore names): senders cannot learn that the host has no DANE and
    /// defer mail to it, so the host gets a DANE entry and an error although it publishes nothing.
    /// </summary>
    [Fact]
    public async Task A_denial_of_tlsa_records_that_fails_validation_is_an_error_naming_the_deferred_host()
    {
        var (env, _) = await StartAsync();
        await using var __ = env;
        env.Dnssec!.AddZone("_tcp.mx1.example.test").CorruptSignatures = true;

        var report = await env.CheckAsync();

        var dane = report.Mx.Single(m => m.Host == Mx1).Dane;
        Assert.NotNull(dane);
        Assert.Equal((DaneStatuses.Bogus, false, new DaneSecurity("secure", "secure", "bogus")), (dane.Status, dane.Secure, dane.Dnssec));
        Assert.Empty(dane.Records);
        var finding = report.Single(FindingCodes.DaneTlsaDnsError, Mx1);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("defer", finding.Message);
        Assert.Null(report.Mx.Single(m => m.Host == Mx2).Dane);
        report.Lacks(FindingCodes.DaneWithMtaSts);
    }

    [Fact]
    public async Task An_mx_host_that_is_a_secure_cname_uses_the_canonical_name_as_tlsa_base_domain()
    {
        const string Relay = "relay.provider.test";
        var (env, _) = await StartAsync();
        await using var __ = env;
        env.Zone.Remove(Mx1, "A");
        env.Zone.AddCname(Mx1, Relay).AddA(Relay, Mx1Ip.ToString());
        // The relay's certificate names only the relay: a DANE-TA record accepts the TLSA base domain as name (RFC 7672 §3.2.2).
        env.Smtp.SetCertificate(Mx1, env.Ca.IssueLeaf(Relay));
        AddTlsa(env, env.Ca.IntermediateCertificate!, 2, 0, 1, $"_25._tcp.{Relay}");

        var report = await env.CheckAsync();

        var dane = report.Mx.Single(m => m.Host == Mx1).Dane!;
        Assert.Equal(($"_25._tcp.{Relay}", DaneStatuses.Matched, new DaneSecurity("secure", "secure", "secure")), (dane.TlsaName, dane.Status, dane.Dnssec));
        report.Lacks(FindingCodes.DaneTlsaMismatch);
    }

    [Fact]
    public async Task Without_a_validator_the_records_are_reported_and_nothing_is_concluded()
    {
        var (env, leaf) = await StartAsync(signed: false);
        await using var _ = env;
        AddTlsa(env, env.Ca.IssueLeaf(Mx1), 3, 1, 1); // would be a mismatch if the zone were known to be signed
        AddTlsa(env, leaf, 1, 1, 1);

        var report = await env.CheckAsync();

        var dane = report.Mx.Single(m => m.Host == Mx1).Dane!;
        Assert.Equal((DaneStatuses.NotValidated, false, (bool?)false), (dane.Status, dane.Secure, dane.Matched));
        Assert.Equal([3, 1], dane.Records.Select(r => r.Usage).Order().Reverse());
        report.Lacks(FindingCodes.DaneTlsaMismatch);
        report.Single(FindingCodes.DaneTlsaUnusable, Mx1);
    }
}
