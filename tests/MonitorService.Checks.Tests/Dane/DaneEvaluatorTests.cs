using System.Security.Cryptography.X509Certificates;
using MonitorService.Checks.Dane;
using MonitorService.Checks.Dns;
using MonitorService.Checks.Model;
using MonitorService.Testing.Dane;

namespace MonitorService.Checks.Tests.Dane;

/// <summary>
/// Matching TLSA records against real certificate chains from a test CA (root → intermediate → leaf), with the
/// association data computed independently (<see cref="TlsaData"/>) and DNSSEC statuses set on constructed answers.
/// </summary>
public sealed class DaneEvaluatorTests : IDisposable
{
    private const string Host = "mx1.example.test";
    private readonly TestCertificateAuthority _ca = new(withIntermediate: true);
    private readonly TestCertificateAuthority _otherCa = new("Other Test Root", withIntermediate: true);
    private readonly X509Certificate2 _leaf;

    public DaneEvaluatorTests() => _leaf = _ca.IssueLeaf(Host);

    public void Dispose()
    {
        _ca.Dispose();
        _otherCa.Dispose();
    }

    private X509Certificate2 Intermediate => _ca.IntermediateCertificate!;

    private static TlsaRecordData Record(X509Certificate2 certificate, byte usage, byte selector, byte matchingType) =>
        new(usage, selector, matchingType, TlsaData.For(certificate, selector, matchingType));

    private static DaneObservation Observed(DnssecStatus tlsaSecurity, params TlsaRecordData[] records) =>
        Observed(Host, Host, tlsaSecurity, records);

    private static DaneObservation Observed(string host, string baseDomain, DnssecStatus tlsaSecurity, params TlsaRecordData[] records) =>
        new(host, baseDomain, new DnsAnswer<TlsaRecordData>(DnsOutcome.Found, records) { Security = tlsaSecurity });

    private static DaneEvaluation Evaluate(DaneObservation observation, params X509Certificate2[] chain) =>
        DaneEvaluator.Evaluate(observation, DnssecStatus.Secure, DnssecStatus.Secure, chain.Select(c => c.RawData).ToList())!;

    private byte[][] Chain => [_leaf.RawData, Intermediate.RawData];

    [Theory]
    [InlineData(3, 1, 1)]
    [InlineData(3, 0, 1)]
    [InlineData(3, 1, 2)]
    [InlineData(3, 0, 0)]
    public void Dane_ee_matches_the_leaf(byte usage, byte selector, byte matchingType)
    {
        var result = Evaluate(Observed(DnssecStatus.Secure, Record(_leaf, usage, selector, matchingType)), _leaf, Intermediate);

        Assert.Equal((DaneStatuses.Matched, true, true, true), (result.Report.Status, result.Report.Matched, result.Report.Secure, result.Report.Usable));
        Assert.True(result.Report.Records.Single().Matched);
    }

    [Theory]
    [InlineData(2, 0, 1)]
    [InlineData(2, 1, 1)]
    public void Dane_ta_matches_the_intermediate_the_server_sent(byte usage, byte selector, byte matchingType)
    {
        var result = Evaluate(Observed(DnssecStatus.Secure, Record(Intermediate, usage, selector, matchingType)), _leaf, Intermediate);

        Assert.Equal(DaneStatuses.Matched, result.Report.Status);
    }

    [Fact]
    public void Dane_ta_matches_a_root_the_server_sent()
    {
        var result = Evaluate(Observed(DnssecStatus.Secure, Record(_ca.RootCertificate, 2, 0, 1)), _leaf, Intermediate, _ca.RootCertificate);

        Assert.Equal(DaneStatuses.Matched, result.Report.Status);
    }

    [Fact]
    public void Dane_ta_of_a_certificate_the_server_did_not_send_matches_nothing_nothing_is_downloaded()
    {
        // The root is the issuer's issuer, but the server sends only leaf and intermediate (RFC 7672 §3.1.2).
        var result = Evaluate(Observed(DnssecStatus.Secure, Record(_ca.RootCertificate, 2, 0, 1)), _leaf, Intermediate);

        Assert.Equal((DaneStatuses.Mismatch, false), (result.Report.Status, result.Report.Matched));
    }

    [Fact]
    public void Dane_ta_of_a_sent_certificate_that_did_not_issue_the_leaf_does_not_match()
    {
        var stranger = _otherCa.IntermediateCertificate!;
        var result = Evaluate(Observed(DnssecStatus.Secure, Record(stranger, 2, 0, 1)), _leaf, Intermediate, stranger);

        Assert.Equal(DaneStatuses.Mismatch, result.Report.Status);
        Assert.Contains("does not chain to it", result.Report.Records.Single().Problem);
    }

    [Fact]
    public void Dane_ee_of_another_key_is_a_mismatch_and_names_the_record_that_would_match()
    {
        var otherLeaf = _ca.IssueLeaf(Host);
        var result = Evaluate(Observed(DnssecStatus.Secure, Record(otherLeaf, 3, 1, 1)), _leaf, Intermediate);

        Assert.Equal((DaneStatuses.Mismatch, false), (result.Report.Status, result.Report.Matched));
        Assert.Equal(TlsaData.Presentation(_leaf, 3, 1, 1), result.CurrentKeyRecord);
    }

    [Fact]
    public void Dane_ee_checks_neither_names_nor_expiry()
    {
        var wrongName = _ca.IssueExpiredLeaf("other.example.net");
        var result = Evaluate(Observed(DnssecStatus.Secure, Record(wrongName, 3, 1, 1)), wrongName, Intermediate);

        Assert.Equal(DaneStatuses.Matched, result.Report.Status);
    }

    [Fact]
    public void Dane_ta_requires_the_mx_host_name_in_the_leaf()
    {
        var wrongName = _ca.IssueLeaf("other.example.net");
        var result = Evaluate(Observed(DnssecStatus.Secure, Record(Intermediate, 2, 0, 1)), wrongName, Intermediate);

        Assert.Equal(DaneStatuses.Mismatch, result.Report.Status);
        Assert.Contains("names other.example.net, not mx1.example.test", result.Report.Records.Single().Problem);
    }

    [Theory]
    [InlineData("*.example.test", true)]
    [InlineData("*.test", false)]
    [InlineData("*.mx1.example.test", false)]
    public void Dane_ta_name_check_allows_a_wildcard_for_one_leftmost_label(string san, bool matches)
    {
        var leaf = _ca.IssueLeaf(san);
        var result = Evaluate(Observed(DnssecStatus.Secure, Record(Intermediate, 2, 0, 1)), leaf, Intermediate);

        Assert.Equal(matches, result.Report.Matched);
    }

    [Fact]
    public void Dane_ta_accepts_the_tlsa_base_domain_of_a_cname_as_name()
    {
        var leaf = _ca.IssueLeaf("relay.provider.test");
        var result = Evaluate(Observed(Host, "relay.provider.test", DnssecStatus.Secure, Record(Intermediate, 2, 0, 1)), leaf, Intermediate);

        Assert.Equal(DaneStatuses.Matched, result.Report.Status);
        Assert.Equal("_25._tcp.relay.provider.test", result.Report.TlsaName);
    }

    [Fact]
    public void One_matching_record_among_stale_ones_is_enough()
    {
        var stale = Record(_ca.IssueLeaf(Host), 3, 1, 1);
        var result = Evaluate(Observed(DnssecStatus.Secure, stale, Record(_leaf, 3, 1, 1), new TlsaRecordData(1, 1, 1, new byte[32])), _leaf, Intermediate);

        Assert.Equal(DaneStatuses.Matched, result.Report.Status);
        Assert.Equal([false, true, false], result.Report.Records.Select(r => r.Matched));
        Assert.Equal([true, true, false], result.Report.Records.Select(r => r.Usable));
    }

    [Fact]
    public void Only_unusable_records_are_unusable_not_a_mismatch()
    {
        var result = Evaluate(Observed(DnssecStatus.Secure, Record(_leaf, 1, 1, 1), Record(_leaf, 0, 0, 1)), _leaf, Intermediate);

        Assert.Equal((DaneStatuses.Unusable, false, false), (result.Report.Status, result.Report.Usable, result.Report.Matched));
    }

    [Theory]
    [InlineData(DnssecStatus.Insecure, DnssecStatus.Secure, DnssecStatus.Secure, DaneStatuses.Insecure)]
    [InlineData(DnssecStatus.Secure, DnssecStatus.Insecure, DnssecStatus.Secure, DaneStatuses.Insecure)]
    [InlineData(DnssecStatus.Secure, DnssecStatus.Secure, DnssecStatus.Insecure, DaneStatuses.Insecure)]
    [InlineData(DnssecStatus.Secure, DnssecStatus.Secure, DnssecStatus.Bogus, DaneStatuses.Bogus)]
    [InlineData(DnssecStatus.Insecure, DnssecStatus.Secure, DnssecStatus.Bogus, DaneStatuses.Insecure)]
    [InlineData(DnssecStatus.NotValidated, DnssecStatus.NotValidated, DnssecStatus.NotValidated, DaneStatuses.NotValidated)]
    public void The_first_answer_on_a_senders_way_that_is_not_secure_decides(DnssecStatus mx, DnssecStatus addresses, DnssecStatus tlsa, string status)
    {
        var result = DaneEvaluator.Evaluate(Observed(tlsa, Record(_leaf, 3, 1, 1)), mx, addresses, Chain)!;

        Assert.Equal((status, false), (result.Report.Status, result.Report.Secure));
        Assert.True(result.Report.Matched); // matching is still reported: it tells what signing the zone would give
    }

    [Fact]
    public void No_records_is_no_dane_and_a_failed_lookup_is_a_dns_error()
    {
        var none = new DaneObservation(Host, Host, DnsAnswer<TlsaRecordData>.None() with { Security = DnssecStatus.Secure });
        var failed = new DaneObservation(Host, Host, DnsAnswer<TlsaRecordData>.Fail("the DNS server answered SERVFAIL"));

        Assert.Null(DaneEvaluator.Evaluate(none, DnssecStatus.Secure, DnssecStatus.Secure, Chain));
        var result = DaneEvaluator.Evaluate(failed, DnssecStatus.Secure, DnssecStatus.Secure, Chain)!;
        Assert.Equal((DaneStatuses.DnsError, "the DNS server answered SERVFAIL"), (result.Report.Status, result.Report.Error));
    }

    [Fact]
    public void Without_a_certificate_records_are_untested()
    {
        var result = DaneEvaluator.Evaluate(Observed(DnssecStatus.Secure, Record(_leaf, 3, 1, 1)), DnssecStatus.Secure, DnssecStatus.Secure, [])!;

        Assert.Equal((DaneStatuses.Untested, (bool?)null), (result.Report.Status, result.Report.Matched));
    }

    [Fact]
    public void Only_the_current_key_pinned_is_known_and_a_second_key_or_a_trust_anchor_lifts_it()
    {
        var current = Record(_leaf, 3, 1, 1);
        Assert.True(Evaluate(Observed(DnssecStatus.Secure, current, Record(_leaf, 3, 0, 1)), _leaf, Intermediate).OnlyCurrentKeyPinned);
        Assert.False(Evaluate(Observed(DnssecStatus.Secure, current, Record(_ca.IssueLeaf(Host), 3, 1, 1)), _leaf, Intermediate).OnlyCurrentKeyPinned);
        Assert.False(Evaluate(Observed(DnssecStatus.Secure, current, Record(Intermediate, 2, 1, 1)), _leaf, Intermediate).OnlyCurrentKeyPinned);
    }

    [Fact]
    public void Records_repeating_one_trust_anchor_cost_one_chain_build()
    {
        var records = Enumerable.Repeat(Record(Intermediate, 2, 0, 1), 200).Append(Record(Intermediate, 2, 1, 1)).ToArray();
        var before = DaneChainCheck.BuildsOnThisThread;

        var result = Evaluate(Observed(DnssecStatus.Secure, records), _leaf, Intermediate);

        Assert.Equal(DaneStatuses.Matched, result.Report.Status);
        Assert.Equal(1, DaneChainCheck.BuildsOnThisThread - before);
        Assert.Equal(DaneEvaluator.MaxReportedRecords, result.Report.Records.Count);
    }
}
