using MonitorService.Checks.Dns;
using MonitorService.Checks.Dnssec;

namespace MonitorService.Checks.Tests.Dnssec;

/// <summary>The pure parts: canonical name order, hostile wire input, NSEC coverage, key tags, the query cap.</summary>
public sealed class WireAndProofTests
{
    [Fact]
    public void Names_sort_in_the_canonical_order_of_rfc_4034_section_6_1()
    {
        // The example list of RFC 4034 §6.1, shuffled (the \001 and \200 labels stand for the RFC's escaped ones).
        string[] expected = ["example", "a.example", "yljkjljk.a.example", "Z.a.example", "zABC.a.EXAMPLE", "z.example", "\u0001.z.example", "*.z.example", "\u0080.z.example"];
        var names = expected.Reverse().Select(n => DomainLabels.FromLabels(n.Split('.'))).ToList();

        names.Sort(DomainLabels.CanonicalCompare);

        Assert.Equal(expected.Select(n => DomainLabels.FromLabels(n.Split('.')).ToString()), names.Select(n => n.ToString()));
    }

    [Fact]
    public void A_label_with_a_dot_inside_never_equals_two_labels()
    {
        var oneLabel = DomainLabels.FromLabels(["a.b", "example"]);
        var twoLabels = DomainLabels.Parse("a.b.example");

        Assert.NotEqual(oneLabel, twoLabels);
        Assert.Equal("a\\.b.example.", oneLabel.ToString());
    }

    [Fact]
    public void A_compression_pointer_that_points_forward_is_refused()
    {
        var query = DnssecQueryClient.BuildQuery(7, DomainLabels.Parse("example.test"), 16);
        var response = query[..^11].ToArray(); // without the OPT record
        response[2] |= 0x80; // QR
        response[7] = 1; // one answer
        byte[] loop = [0xC0, (byte)(response.Length + 2), 0xC0, (byte)response.Length, 0, 16, 0, 1, 0, 0, 0, 60, 0, 0];
        byte[] message = [.. response, .. loop];
        message[11] = 0; // ARCOUNT 0

        Assert.Throws<FormatException>(() => WireMessageReader.Read(message, 7, DomainLabels.Parse("example.test"), 16));
    }

    [Fact]
    public void A_response_with_more_records_than_the_cap_is_refused()
    {
        var query = DnssecQueryClient.BuildQuery(9, DomainLabels.Parse("example.test"), 16);
        var message = query[..^11].ToArray();
        message[2] |= 0x80;
        message[6] = (byte)((WireMessageReader.MaxRecords + 1) >> 8);
        message[7] = (byte)((WireMessageReader.MaxRecords + 1) & 0xFF);
        message[11] = 0;

        var error = Assert.Throws<FormatException>(() => WireMessageReader.Read(message, 9, DomainLabels.Parse("example.test"), 16));
        Assert.Contains("more than", error.Message);
    }

    [Fact]
    public void An_answer_to_another_question_is_refused()
    {
        var query = DnssecQueryClient.BuildQuery(5, DomainLabels.Parse("evil.test"), 16);
        var message = query[..^11].ToArray();
        message[2] |= 0x80;
        message[11] = 0;

        Assert.Throws<FormatException>(() => WireMessageReader.Read(message, 5, DomainLabels.Parse("example.test"), 16));
    }

    [Fact]
    public void The_last_nsec_of_a_zone_covers_names_after_it_up_to_the_apex()
    {
        var last = new WireRecord(DomainLabels.Parse("z.example"), RrType.Nsec, 1, 300, [.. DomainLabels.Parse("example").ToWire(), 0, 1, 0x40]);
        Assert.True(Nsec.TryParse(last, out var nsec));

        Assert.True(nsec!.Covers(DomainLabels.Parse("zz.example")));
        Assert.False(nsec.Covers(DomainLabels.Parse("a.example")));
        Assert.True(nsec.Types.Has(RrType.A));
        Assert.False(nsec.Types.Has(RrType.Txt));
    }

    [Fact]
    public void The_key_tag_is_computed_as_in_rfc_4034_appendix_b()
    {
        // The IANA root KSK-2017 (key tag 20326): its DNSKEY RDATA hashes to the DS digest built in, and its tag is 20326.
        var publicKey = Convert.FromBase64String(
            "AwEAAaz/tAm8yTn4Mfeh5eyI96WSVexTBAvkMgJzkKTOiW1vkIbzxeF3+/4RgWOq7HrxRixHlFlExOLAJr5emLvN7SWXgnLh4+B5xQlNVz8Og8kvArMtNROxVQuCaSnIDdD5LKyWbRd2n9WGe2R8PzgCmr3EgVLrjyBxWezF0jLHwVN8efS3rCj/EWgvIWgb9tarpVUDK/b58Da+sqqls3eNbuv7pr+eoZG+SrDK6nWeL3c6H5Apxz7LjVc1uTIdsIXxuOLYA4/ilBmSVIzuDWfdRUfhHdY6+cn8HFRm+2hM8AnXGXws9555KrUB5qihylGa8subX2Nn6UwNR1AkUTV74bU=");
        byte[] rdata = [1, 1, 3, 8, .. publicKey];
        Assert.True(DnsKey.TryParse(rdata, out var key));

        Assert.Equal(20326, key!.KeyTag);
        Assert.True(DsDigests.Matches(DnssecTrustAnchors.IanaRoot.DsRecords[0], DomainLabels.Root, key));
    }

    [Fact]
    public async Task A_validation_that_needs_more_queries_than_its_cap_ends_indeterminate()
    {
        await using var dns = await SignedDns.StartAsync();
        var anchors = DnssecTrustAnchors.Parse(dns.Hierarchy.TrustAnchorText(), "test");
        var validator = new DnssecValidator(new DnssecQueryClient([dns.Server.EndPoint], TimeSpan.FromSeconds(6)), anchors, TimeProvider.System, 100, maxQueriesPerValidation: 3);

        var verdict = await validator.ValidateAsync(SignedDns.Txt, 16, CancellationToken.None);

        Assert.Equal(DnssecStatus.Indeterminate, verdict.Status);
        Assert.Contains("more than 3 queries", verdict.Reason);
    }
}

/// <summary>A validator whose lookups blow up in a way nobody foresaw still gives a verdict, not an exception.</summary>
public sealed class UnexpectedFailureTests
{
    private sealed class ExplodingClient : IDnssecQueryClient
    {
        public Task<WireMessage> QueryAsync(DomainLabels name, ushort type, bool checkingDisabled, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("boom");
    }

    [Fact]
    public async Task An_unexpected_exception_ends_indeterminate_with_its_name()
    {
        var validator = new DnssecValidator(new ExplodingClient(), DnssecTrustAnchors.IanaRoot, TimeProvider.System, 100, 32);

        var verdict = await validator.ValidateAsync("example.com", 16, CancellationToken.None);

        Assert.Equal(DnssecStatus.Indeterminate, verdict.Status);
        Assert.Contains("InvalidOperationException: boom", verdict.Reason);
    }
}
