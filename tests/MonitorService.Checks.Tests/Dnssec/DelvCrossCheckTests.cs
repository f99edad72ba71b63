using System.Diagnostics;
using MonitorService.Checks.Dns;
using MonitorService.Testing.Dns.Dnssec;

namespace MonitorService.Checks.Tests.Dnssec;

/// <summary>
/// An independent implementation judges the same hierarchy: BIND's <c>delv</c>, trusting our test root, asks our test
/// server, and must reach the verdict our validator reaches. Our signer and our validator are ours both; without this
/// they could share one mistake (a wrong canonical form, a wrong NSEC3 hash) and still agree with each other.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DelvCrossCheckTests
{
    public enum Variant { Secure, CorruptSignature, ExpiredSignature, MissingDs, UnsignedZone, Nsec3UnsignedDelegation, Nsec3OptOutDelegation, Rsa, Nsec3Nxdomain, NsecNxdomain }

    [Theory]
    [InlineData(Variant.Secure, "; fully validated", DnssecStatus.Secure)]
    [InlineData(Variant.Rsa, "; fully validated", DnssecStatus.Secure)]
    [InlineData(Variant.CorruptSignature, "resolution failed", DnssecStatus.Bogus)]
    [InlineData(Variant.ExpiredSignature, "resolution failed", DnssecStatus.Bogus)]
    [InlineData(Variant.MissingDs, "; unsigned answer", DnssecStatus.Insecure)]
    [InlineData(Variant.UnsignedZone, "; unsigned answer", DnssecStatus.Insecure)]
    [InlineData(Variant.Nsec3UnsignedDelegation, "; unsigned answer", DnssecStatus.Insecure)]
    [InlineData(Variant.Nsec3OptOutDelegation, "; unsigned answer", DnssecStatus.Insecure)]
    [InlineData(Variant.NsecNxdomain, "; negative response, fully validated", DnssecStatus.Secure)]
    [InlineData(Variant.Nsec3Nxdomain, "; negative response, fully validated", DnssecStatus.Secure)]
    public async Task Delv_and_our_validator_agree(Variant variant, string delvSays, DnssecStatus weSay)
    {
        await using var dns = await SignedDns.StartAsync(variant == Variant.Rsa ? (byte)8 : (byte)13);
        var name = SignedDns.Txt;
        switch (variant)
        {
            case Variant.CorruptSignature: dns.Hierarchy.Zone("example.test").CorruptSignatures = true; break;
            case Variant.ExpiredSignature: dns.Hierarchy.Zone("example.test").ExpiredSince = TimeSpan.FromDays(1); break;
            case Variant.MissingDs: dns.Hierarchy.Zone("example.test").DsInParent = false; break;
            case Variant.UnsignedZone: dns.Hierarchy.AddZone("example.test", 0); break;
            case Variant.Nsec3UnsignedDelegation:
                dns.Hierarchy.Zone("test").Denial = TestDenial.Nsec3;
                dns.Hierarchy.AddZone("example.test", 0);
                break;
            case Variant.Nsec3OptOutDelegation:
                dns.Hierarchy.Zone("test").Denial = TestDenial.Nsec3OptOut;
                dns.Hierarchy.AddZone("example.test", 0);
                break;
            case Variant.NsecNxdomain: name = "nothing.example.test"; break;
            case Variant.Nsec3Nxdomain:
                dns.Hierarchy.Zone("example.test").Denial = TestDenial.Nsec3;
                name = "nothing.example.test";
                break;
        }

        var delv = await RunDelvAsync(dns, name);
        var ours = await dns.Validator().ValidateAsync(name, 16, CancellationToken.None);

        Assert.True(delv.Contains(delvSays, StringComparison.Ordinal), $"delv said:\n{delv}");
        Assert.True(ours.Status == weSay, $"we said {ours}; delv said:\n{delv}");
    }

    private static async Task<string> RunDelvAsync(SignedDns dns, string name)
    {
        var anchorFile = Path.Combine(Path.GetTempPath(), $"delv-anchor-{Guid.NewGuid():N}.conf");
        var key = dns.Hierarchy.Zone(".").Key!;
        var digest = Convert.ToHexString(key.DsRData(".").AsSpan(4));
        await File.WriteAllTextAsync(anchorFile, $"trust-anchors {{ \".\" static-ds {key.KeyTag} {key.Algorithm} 2 \"{digest}\"; }};\n");
        try
        {
            var start = new ProcessStartInfo("delv")
            {
                ArgumentList = { $"@{dns.Server.EndPoint.Address}", "-p", dns.Server.EndPoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-a", anchorFile, "+root=.", name, "TXT" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            Process process;
            try
            {
                process = Process.Start(start)!;
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                Assert.Fail($"delv is not installed ({e.Message}): run the install step of .ci/run (apt-get install -y bind9-dnsutils bind9-utils).");
                throw;
            }
            using (process)
            {
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
                var stderr = process.StandardError.ReadToEndAsync(limit.Token);
                await process.WaitForExitAsync(limit.Token);
                return await stdout + await stderr;
            }
        }
        finally
        {
            File.Delete(anchorFile);
        }
    }
}
