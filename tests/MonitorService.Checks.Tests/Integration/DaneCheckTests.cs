using System.Security.Cryptography.X509Certificates;
using MonitorService.Checks.Dns;
using MonitorService.Checks.Model;
using MonitorService.Testing.Dane;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Checks.Tests.Integration;

/// <summary>
/// DANE end to end on loopback: TLSA records served by the test DNS server, STARTTLS servers presenting a chain from
/// the test CA (intermediate → leaf), and the real probe. DNSSEC validation is stood in for by
/// <see cref="DnssecMarkingResolver"/> (TEST ONLY), which marks the answers of chosen names secure.
/// </summary>
public class DaneCheckTests
{
    private const string Tlsa1 = "_25._tcp.mx1.example.test";

    private static Dictionary<string, DnssecStatus> SecureMx1 => DaneChecks.Marks(DnssecStatus.Secure, Domain, Mx1, Mx2);

    /// <summary>A healthy domain whose MX hosts send leaf and intermediate; mx1 presents <c>leaf</c>.</summary>
    private static async Task<(CheckEnvironment Env, X509Certificate2 Leaf)> StartAsync()
    {
        var env = (await CheckEnvironment.StartAsync(intermediateCa: true)).PublishHealthyDomain();
        var leaf = env.Ca.IssueLeaf(Mx1);
        env.Smtp.SetCertificate(Mx1, leaf);
        return (env, leaf);
    }

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

        var report = await DaneChecks.CheckAsync(env, SecureMx1);

        var dane = report.Mx.Single(m => m.Host == Mx1).Dane!;
        Assert.Equal((Tlsa1, DaneStatuses.Matched, true, true, (bool?)true), (dane.TlsaName, dane.Status, dane.Secure, dane.Usable, dane.Matched));
        Assert.Null(report.Mx.Single(m => m.Host == Mx2).Dane);
        report.Lacks(FindingCodes.DaneTlsaMismatch);
        Assert.Equal(Severity.Info, report.Single(FindingCodes.DaneWithMtaSts).Severity);
        report.HasNoProblems();
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

        var report = await DaneChecks.CheckAsync(env, SecureMx1);

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

        var report = await DaneChecks.CheckAsync(env, SecureMx1);

        Assert.Equal(Severity.Error, report.Single(FindingCodes.DaneTlsaMismatch, Mx1).Severity);
    }

    [Fact]
    public async Task Records_in_an_unsigned_zone_are_ignored_by_senders_and_say_so()
    {
        var (env, leaf) = await StartAsync();
        await using var _ = env;
        AddTlsa(env, leaf, 3, 1, 1);
        var marks = DaneChecks.Marks(DnssecStatus.Secure, Domain, Mx1);
        marks[Tlsa1] = DnssecStatus.Insecure;

        var report = await DaneChecks.CheckAsync(env, marks);

        Assert.Equal(Severity.Warning, report.Single(FindingCodes.DaneTlsaInsecure, Mx1).Severity);
        Assert.Equal((DaneStatuses.Insecure, false), (report.Mx.Single(m => m.Host == Mx1).Dane!.Status, report.Mx.Single(m => m.Host == Mx1).Dane!.Secure));
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
        var marks = SecureMx1;
        marks[$"_25._tcp.{Relay}"] = DnssecStatus.Secure;

        var report = await DaneChecks.CheckAsync(env, marks);

        var dane = report.Mx.Single(m => m.Host == Mx1).Dane!;
        Assert.Equal(($"_25._tcp.{Relay}", DaneStatuses.Matched), (dane.TlsaName, dane.Status));
        report.Lacks(FindingCodes.DaneTlsaMismatch);
    }

    [Fact]
    public async Task Without_a_validator_the_records_are_reported_and_nothing_is_concluded()
    {
        var (env, leaf) = await StartAsync();
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
