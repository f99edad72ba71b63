using MonitorService.Checks.Dns;
using MonitorService.Checks.Dnssec;
using MonitorService.Testing.Dns;

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

    [Fact]
    public async Task Each_question_is_asked_once_for_both_the_answer_and_its_verdict()
    {
        await using var dns = await SignedDns.StartAsync();
        var resolver = new ValidatingDnsResolver(new DnsClientResolver([dns.Server.EndPoint], TimeSpan.FromSeconds(6)), dns.Validator(), TimeSpan.FromSeconds(12));

        var answers = new[]
        {
            (await resolver.GetTxtAsync(SignedDns.Txt, CancellationToken.None)).Security,
            (await resolver.GetMxAsync("example.test", CancellationToken.None)).Security,
            (await resolver.GetAddressesAsync("mx1.example.test", CancellationToken.None)).Security,
            (await resolver.GetTlsaAsync(SignedDns.Tlsa, CancellationToken.None)).Security,
        };

        Assert.All(answers, s => Assert.Equal(DnssecStatus.Secure, s));
        // The validator's own questions (DS, DNSKEY, SOA) are of other types; the answers' questions go out once each.
        var asked = new[] { (SignedDns.Txt, "TXT"), ("example.test", "MX"), ("mx1.example.test", "A"), ("mx1.example.test", "AAAA"), (SignedDns.Tlsa, "TLSA") }
            .Select(q => (q.Item1, q.Item2, dns.Server.QueryCount(q.Item1, q.Item2))).ToList();
        Assert.All(asked, q => Assert.True(q.Item3 == 1, $"{q.Item1} {q.Item2} was asked {q.Item3} times"));
    }

    [Fact]
    public async Task Answers_read_from_the_validators_fetch_equal_the_plain_resolvers_in_every_outcome()
    {
        await using var dns = await SignedDns.StartAsync();
        dns.Server.Zone.AddTxt("split.example.test", "v=STSv1; ", "id=caf\u00e9")
            .AddTxt("bytes.example.test", [0x63, 0x61, 0x66, 0xC3], [0xA9, 0xFF, 0x3B])
            // Raw RDATA: the zone's own MX helper lower-cases names, and DnsClient keeps the case the server sent.
            .AddRecord("mixed.example.test", 15, MxData(20, "MX2.Example.TEST")).AddRecord("mixed.example.test", 15, MxData(10, "Mx1.Example.Test"))
            .AddMx("mixed.example.test", 10, "a.example.test")
            .AddCname("alias.example.test", "hop.example.test").AddCname("hop.example.test", "mx1.example.test")
            .AddCname("dangling.example.test", "gone.example.test")
            .AddAaaa("six.example.test", "2001:db8::25").AddA("six.example.test", "192.0.2.7").AddA("six.example.test", "192.0.2.6")
            .SetBehavior("broken.example.test", DnsBehavior.ServFail)
            .SetBehavior("refused.example.test", DnsBehavior.Refused)
            .SetBehavior("silent.example.test", DnsBehavior.Hang);
        var timeout = TimeSpan.FromSeconds(3);
        var plain = new DnsClientResolver([dns.Server.EndPoint], timeout);
        var validating = new ValidatingDnsResolver(new DnsClientResolver([dns.Server.EndPoint], timeout), dns.Validator(), timeout * 2);

        string[] names = ["split.example.test", "bytes.example.test", "mixed.example.test", "alias.example.test", "dangling.example.test", "six.example.test", "nothing.example.test",
            "mx1.example.test", "broken.example.test", "refused.example.test", "silent.example.test", SignedDns.Tlsa];
        var differences = new List<string>();
        foreach (var name in names)
        {
            var pairs = await Task.WhenAll(
                Compare(name, "TXT", r => r.GetTxtAsync(name, CancellationToken.None)),
                Compare(name, "MX", r => r.GetMxAsync(name, CancellationToken.None)),
                Compare(name, "A/AAAA", r => r.GetAddressesAsync(name, CancellationToken.None)),
                Compare(name, "TLSA", r => r.GetTlsaAsync(name, CancellationToken.None)));
            differences.AddRange(pairs.Where(p => p is not null).Select(p => p!));
        }

        Assert.Empty(differences);

        async Task<string?> Compare<T>(string name, string type, Func<IDnsResolver, Task<DnsAnswer<T>>> ask)
        {
            var expected = await ask(plain);
            var actual = await ask(validating);
            static string Show(DnsAnswer<T> a) =>
                $"{a.Outcome} [{string.Join(", ", a.Records)}] canonical={a.CanonicalName} nxdomain={a.NoSuchName} error={a.Error}";
            return Show(expected) == Show(actual) && expected.Records.SequenceEqual(actual.Records) ? null : $"{name} {type}: plain {Show(expected)}, validating {Show(actual)}";
        }
    }

    [Fact]
    public async Task Behind_a_validating_resolver_a_bogus_answer_is_the_servfail_senders_get_and_the_verdict_names_why()
    {
        await using var dns = await SignedDns.StartAsync();
        dns.Hierarchy.Zone("example.test").CorruptSignatures = true;
        // A validating resolver refuses the bogus data (SERVFAIL) unless the query carries CD.
        dns.Server.Zone.SetBehavior(SignedDns.Txt, DnsBehavior.ServFailUnlessCheckingDisabled);
        var plain = await new DnsClientResolver([dns.Server.EndPoint], TimeSpan.FromSeconds(6)).GetTxtAsync(SignedDns.Txt, CancellationToken.None);
        var resolver = new ValidatingDnsResolver(new DnsClientResolver([dns.Server.EndPoint], TimeSpan.FromSeconds(6)), dns.Validator(), TimeSpan.FromSeconds(12));
        dns.Server.ClearQueries();

        var txt = await resolver.GetTxtAsync(SignedDns.Txt, CancellationToken.None);

        Assert.Equal((DnsOutcome.Failed, "the DNS server answered SERVFAIL"), (plain.Outcome, plain.Error));
        Assert.Equal((plain.Outcome, plain.Error), (txt.Outcome, txt.Error));
        Assert.Equal(DnssecStatus.Bogus, txt.Security);
        Assert.Contains("does not verify", txt.SecurityReason, StringComparison.Ordinal);
        // The refused answer, then once more with CD to see what was refused: no more than before.
        Assert.Equal(2, dns.Server.QueryCount(SignedDns.Txt, "TXT"));
    }

    private static byte[] MxData(ushort preference, string host) =>
        [(byte)(preference >> 8), (byte)preference, .. host.Split('.').SelectMany(l => new[] { (byte)l.Length }.Concat(System.Text.Encoding.ASCII.GetBytes(l))), 0];
}
