using MonitorService.Checks.Dns;
using MonitorService.Checks.Dnssec;

namespace MonitorService.Checks.Tests.Dnssec;

/// <summary>The decorator the engine uses: the inner resolver's answers, each with our verdict for the same question.</summary>
public sealed class ValidatingDnsResolverTests
{
    [Fact]
    public async Task Every_kind_of_answer_carries_the_verdict_and_the_records_stay_the_inner_resolvers()
    {
        await using var dns = await SignedDns.StartAsync();
        dns.Hierarchy.Zone("example.test").CorruptSignatures = true;
        var resolver = new ValidatingDnsResolver(new DnsClientResolver([dns.Server.EndPoint], TimeSpan.FromSeconds(6)), dns.Validator(), TimeSpan.FromSeconds(12));

        var txt = await resolver.GetTxtAsync(SignedDns.Txt, CancellationToken.None);
        var mx = await resolver.GetMxAsync("example.test", CancellationToken.None);
        var addresses = await resolver.GetAddressesAsync("mx1.example.test", CancellationToken.None);
        var tlsa = await resolver.GetTlsaAsync(SignedDns.Tlsa, CancellationToken.None);

        Assert.Equal(["v=STSv1; id=20261130"], txt.Records);
        Assert.Equal("mx1.example.test", Assert.Single(mx.Records).Host);
        Assert.Equal("192.0.2.25", Assert.Single(addresses.Records).ToString());
        Assert.Equal(3, Assert.Single(tlsa.Records).Usage);
        Assert.All(new[] { (txt.Security, txt.SecurityReason), (mx.Security, mx.SecurityReason), (addresses.Security, addresses.SecurityReason), (tlsa.Security, tlsa.SecurityReason) },
            v => Assert.True(v.Security == DnssecStatus.Bogus && v.SecurityReason!.Contains("does not verify", StringComparison.Ordinal), $"{v}"));
    }

    [Fact]
    public async Task Addresses_take_the_worse_of_the_a_and_aaaa_verdicts()
    {
        await using var dns = await SignedDns.StartAsync();
        var resolver = new ValidatingDnsResolver(new DnsClientResolver([dns.Server.EndPoint], TimeSpan.FromSeconds(6)), dns.Validator(), TimeSpan.FromSeconds(12));
        Assert.Equal(DnssecStatus.Secure, (await resolver.GetAddressesAsync("mx1.example.test", CancellationToken.None)).Security);

        // The AAAA answer is a NODATA proof; with its NSEC stripped of signatures only that half is bogus.
        var zone = dns.Hierarchy.Zone("example.test");
        zone.StripSignatures = true;
        zone.StripOnlyType = 47;
        var answer = await resolver.GetAddressesAsync("mx1.example.test", CancellationToken.None);

        Assert.Equal(DnssecStatus.Secure, (await dns.Validator().ValidateAsync("mx1.example.test", 1, CancellationToken.None)).Status);
        Assert.Equal(DnssecStatus.Bogus, answer.Security);
        Assert.Contains("NSEC", answer.SecurityReason);
    }
}
