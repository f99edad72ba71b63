using MonitorService.Checks.Dnssec;

namespace MonitorService.Checks.Tests.Dnssec;

/// <summary>The built-in root anchors, the anchor file format, and the start-up check of the setting.</summary>
public sealed class TrustAnchorTests
{
    [Fact]
    public void The_built_in_anchors_are_the_iana_root_ksk_2017_and_ksk_2024()
    {
        var anchors = DnssecTrustAnchors.IanaRoot;

        Assert.Equal(".", anchors.Zone);
        Assert.Equal([20326, 38696], anchors.DsRecords.Select(d => (int)d.KeyTag));
        Assert.Equal("E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D", Convert.ToHexString(anchors.DsRecords[0].Digest));
    }

    [Fact]
    public void A_file_of_dnskey_lines_with_comments_is_read()
    {
        using var key = new MonitorService.Testing.Dns.Dnssec.TestZoneKey(13);
        var anchors = DnssecTrustAnchors.Parse($"; our closed network's root\n{key.DnskeyText(".")}\n", "test");

        Assert.Equal(key.KeyTag, Assert.Single(anchors.Keys).KeyTag);
    }

    [Fact]
    public void A_bad_anchor_file_stops_the_start_with_the_file_and_line_named()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bad-anchor-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, ". IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\nexample. IN A 192.0.2.1\n");
        try
        {
            var errors = new CheckOptions { DnssecTrustAnchorFile = path }.Validate();

            var error = Assert.Single(errors);
            Assert.Contains(path, error);
            Assert.Contains("line 2", error);
            Assert.Contains("expected a DS or DNSKEY record", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_anchor_file_is_refused_at_start()
    {
        var errors = new CheckOptions { DnssecTrustAnchorFile = "/nonexistent/anchor.txt" }.Validate();

        Assert.Contains(errors, e => e.Contains("does not exist", StringComparison.Ordinal));
    }
}
