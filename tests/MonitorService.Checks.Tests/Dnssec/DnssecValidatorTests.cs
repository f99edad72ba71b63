using MonitorService.Checks.Dns;
using MonitorService.Checks.Dnssec;
using MonitorService.Testing;
using MonitorService.Testing.Dns.Dnssec;

namespace MonitorService.Checks.Tests.Dnssec;

/// <summary>
/// Our validator against a signed hierarchy on loopback: a good chain is Secure, each way of breaking it gives the
/// status RFC 4035 asks for and a reason that names what broke.
/// </summary>
public sealed class DnssecValidatorTests
{
    private const ushort Txt = 16;
    private const ushort A = 1;
    private const ushort Mx = 15;

    [Theory]
    [InlineData((byte)8)]
    [InlineData((byte)10)]
    [InlineData((byte)13)]
    [InlineData((byte)14)]
    public async Task A_signed_chain_from_the_anchor_is_secure_for_each_algorithm(byte algorithm)
    {
        await using var dns = await SignedDns.StartAsync(algorithm);
        var validator = dns.Validator();

        foreach (var (name, type) in new[] { (SignedDns.Txt, Txt), ("example.test", Mx), ("mx1.example.test", A) })
        {
            var verdict = await validator.ValidateAsync(name, type, CancellationToken.None);
            Assert.True(verdict.Status == DnssecStatus.Secure, $"{name}: {verdict}");
        }
    }

    [Fact]
    public async Task A_corrupted_signature_is_bogus_and_the_reason_names_the_record()
    {
        await using var dns = await SignedDns.StartAsync();
        dns.Hierarchy.Zone("example.test").CorruptSignatures = true;

        var verdict = await dns.Validator().ValidateAsync(SignedDns.Txt, Txt, CancellationToken.None);

        Assert.Equal(DnssecStatus.Bogus, verdict.Status);
        Assert.Contains("_mta-sts.example.test. TXT", verdict.Reason);
        Assert.Contains("does not verify", verdict.Reason);
        Assert.False(DnssecReasons.IsExpiry(verdict.Reason));
    }

    [Fact]
    public async Task An_expired_rrsig_is_bogus_and_the_reason_says_which_record_expired_when()
    {
        await using var dns = await SignedDns.StartAsync();
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        dns.Hierarchy.Now = clock.GetUtcNow;
        dns.Hierarchy.Zone("example.test").ExpiredSince = TimeSpan.FromDays(2);

        var verdict = await dns.Validator(clock).ValidateAsync(SignedDns.Txt, Txt, CancellationToken.None);

        Assert.Equal(DnssecStatus.Bogus, verdict.Status);
        Assert.True(DnssecReasons.IsExpiry(verdict.Reason), verdict.Reason);
        Assert.Contains("_mta-sts.example.test. TXT", verdict.Reason);
        Assert.Contains("expired at 2026-11-28 12:00:00 UTC", verdict.Reason);
    }

    [Fact]
    public async Task A_signature_valid_by_the_signers_clock_expires_when_our_clock_passes_it()
    {
        await using var dns = await SignedDns.StartAsync();
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        dns.Hierarchy.Now = () => new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        var validator = dns.Validator(clock);
        Assert.Equal(DnssecStatus.Secure, (await validator.ValidateAsync(SignedDns.Txt, Txt, CancellationToken.None)).Status);

        clock.Advance(TimeSpan.FromDays(8)); // the signer's signatures last 7 days

        var verdict = await validator.ValidateAsync(SignedDns.Txt, Txt, CancellationToken.None);
        Assert.Equal(DnssecStatus.Bogus, verdict.Status);
        Assert.True(DnssecReasons.IsExpiry(verdict.Reason), verdict.Reason);
    }

    [Fact]
    public async Task A_signed_zone_without_ds_in_its_parent_is_an_island_of_security_and_insecure()
    {
        await using var dns = await SignedDns.StartAsync();
        dns.Hierarchy.Zone("example.test").DsInParent = false;

        var verdict = await dns.Validator().ValidateAsync(SignedDns.Txt, Txt, CancellationToken.None);

        Assert.Equal(DnssecStatus.Insecure, verdict.Status);
        Assert.Contains("example.test. is delegated from test. without a DS record (proven by NSEC)", verdict.Reason);
    }

    [Fact]
    public async Task An_unsigned_zone_under_a_signed_parent_is_insecure()
    {
        await using var dns = await SignedDns.StartAsync();
        dns.Hierarchy.AddZone("example.test", algorithm: 0);

        foreach (var (name, type) in new[] { (SignedDns.Txt, Txt), ("example.test", Mx), ("mx1.example.test", A), ("nothing.example.test", Txt) })
        {
            var verdict = await dns.Validator().ValidateAsync(name, type, CancellationToken.None);
            Assert.True(verdict.Status == DnssecStatus.Insecure, $"{name}: {verdict}");
        }
    }

    [Theory]
    [InlineData(TestDenial.Nsec3)]
    [InlineData(TestDenial.Nsec3OptOut)]
    public async Task An_unsigned_delegation_proven_by_nsec3_is_insecure(TestDenial denial)
    {
        await using var dns = await SignedDns.StartAsync();
        dns.Hierarchy.Zone("test").Denial = denial;
        dns.Hierarchy.AddZone("example.test", algorithm: 0);

        var verdict = await dns.Validator().ValidateAsync(SignedDns.Txt, Txt, CancellationToken.None);

        Assert.Equal(DnssecStatus.Insecure, verdict.Status);
        Assert.Contains("proven by NSEC3", verdict.Reason);
    }

    [Fact]
    public async Task Stripped_signatures_in_a_signed_zone_are_bogus_not_insecure()
    {
        await using var dns = await SignedDns.StartAsync();
        dns.Hierarchy.Zone("example.test").StripSignatures = true;

        var verdict = await dns.Validator().ValidateAsync(SignedDns.Txt, Txt, CancellationToken.None);

        Assert.Equal(DnssecStatus.Bogus, verdict.Status);
        Assert.Contains("has no RRSIG although its zone example.test. is signed", verdict.Reason);
    }

    [Fact]
    public async Task A_ds_of_an_algorithm_we_cannot_verify_makes_the_zone_insecure_and_says_so()
    {
        await using var dns = await SignedDns.StartAsync();
        dns.Hierarchy.Zone("example.test").ParentDsAlgorithm = 15; // Ed25519: not verifiable by this validator

        var verdict = await dns.Validator().ValidateAsync(SignedDns.Txt, Txt, CancellationToken.None);

        Assert.Equal(DnssecStatus.Insecure, verdict.Status);
        Assert.Contains("algorithm 15", verdict.Reason);
        Assert.Contains("RFC 4035 §5.2", verdict.Reason);
    }

    [Theory]
    [InlineData(TestDenial.Nsec)]
    [InlineData(TestDenial.Nsec3)]
    public async Task Nxdomain_and_nodata_in_a_signed_zone_are_secure_when_proven(TestDenial denial)
    {
        await using var dns = await SignedDns.StartAsync();
        dns.Hierarchy.Zone("example.test").Denial = denial;
        var validator = dns.Validator();

        var nxDomain = await validator.ValidateAsync("nothing.example.test", Txt, CancellationToken.None);
        var noData = await validator.ValidateAsync("example.test", Txt, CancellationToken.None);
        var emptyNonTerminal = await validator.ValidateAsync("_tls.example.test", Txt, CancellationToken.None);

        Assert.True(nxDomain.Status == DnssecStatus.Secure, nxDomain.ToString());
        Assert.True(noData.Status == DnssecStatus.Secure, noData.ToString());
        Assert.True(emptyNonTerminal.Status == DnssecStatus.Secure, emptyNonTerminal.ToString());
    }

    [Fact]
    public async Task A_key_that_does_not_match_the_anchor_makes_everything_bogus()
    {
        await using var dns = await SignedDns.StartAsync();
        using var other = new TestZoneKey(13);
        var wrongAnchor = $". IN DS {other.KeyTag} 13 2 {Convert.ToHexString(other.DsRData(".").AsSpan(4))}";

        var verdict = await dns.Validator(anchorText: wrongAnchor).ValidateAsync(SignedDns.Txt, Txt, CancellationToken.None);

        Assert.Equal(DnssecStatus.Bogus, verdict.Status);
        Assert.Contains("matches the trust anchor", verdict.Reason);
    }

    [Fact]
    public async Task A_resolver_that_passes_no_dnssec_records_gives_indeterminate_not_bogus()
    {
        await using var dns = await SignedDns.StartAsync();
        dns.Server.Dnssec = null; // the plain unsigned zone: no DNSKEY anywhere

        var verdict = await dns.Validator().ValidateAsync(SignedDns.Txt, Txt, CancellationToken.None);

        Assert.Equal(DnssecStatus.Indeterminate, verdict.Status);
        Assert.Contains("does not pass DNSSEC records on", verdict.Reason);
    }

    [Fact]
    public async Task Validated_zone_keys_are_reused_within_their_ttl_and_fetched_again_after_it()
    {
        await using var dns = await SignedDns.StartAsync();
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
        dns.Hierarchy.Now = clock.GetUtcNow;
        dns.Hierarchy.Zone("test").KeyTtl = 600;
        var validator = dns.Validator(clock);

        await validator.ValidateAsync(SignedDns.Txt, Txt, CancellationToken.None);
        await validator.ValidateAsync("example.test", Mx, CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(590));
        await validator.ValidateAsync("mx1.example.test", A, CancellationToken.None);
        Assert.Equal(1, dns.Server.QueryCount("test", "DNSKEY"));
        Assert.Equal(1, dns.Server.QueryCount(".", "DNSKEY"));

        clock.Advance(TimeSpan.FromSeconds(20)); // past test.'s 600 s, within the root's 3600 s

        var verdict = await validator.ValidateAsync(SignedDns.Txt, Txt, CancellationToken.None);
        Assert.Equal(DnssecStatus.Secure, verdict.Status);
        Assert.Equal(2, dns.Server.QueryCount("test", "DNSKEY"));
        Assert.Equal(1, dns.Server.QueryCount(".", "DNSKEY"));
    }
}
