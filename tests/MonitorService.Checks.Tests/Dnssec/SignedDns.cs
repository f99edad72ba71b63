using MonitorService.Checks.Dnssec;
using MonitorService.Testing.Dns;
using MonitorService.Testing.Dns.Dnssec;

namespace MonitorService.Checks.Tests.Dnssec;

/// <summary>
/// A loopback DNS server serving a signed test hierarchy (root, <c>test</c>, <c>example.test</c>) with a domain's
/// records, and a validator of ours that trusts the test root. Tests break one zone and look at the verdict.
/// </summary>
internal sealed class SignedDns : IAsyncDisposable
{
    public const string Txt = "_mta-sts.example.test";

    private SignedDns(TestDnsServer server, TestDnssecHierarchy hierarchy)
    {
        Server = server;
        Hierarchy = hierarchy;
    }

    public TestDnsServer Server { get; }
    public TestDnssecHierarchy Hierarchy { get; }

    public static async Task<SignedDns> StartAsync(byte algorithm = 13)
    {
        var server = await TestDnsServer.StartAsync();
        server.Zone.AddTxt(Txt, "v=STSv1; id=20261130")
            .AddMx("example.test", 10, "mx1.example.test")
            .AddA("mx1.example.test", "192.0.2.25")
            .AddA("mta-sts.example.test", "192.0.2.10")
            .AddTxt("_smtp._tls.example.test", "v=TLSRPTv1; rua=mailto:tlsrpt@example.test");
        var hierarchy = TestDnssecHierarchy.Standard(server.Zone, algorithm);
        server.Dnssec = hierarchy;
        return new SignedDns(server, hierarchy);
    }

    public DnssecValidator Validator(TimeProvider? time = null, string? anchorText = null, int cacheEntries = 1000)
    {
        var anchors = DnssecTrustAnchors.Parse(anchorText ?? Hierarchy.TrustAnchorText(), "test anchor");
        var client = new DnssecQueryClient([Server.EndPoint], TimeSpan.FromSeconds(6));
        return new DnssecValidator(client, anchors, time ?? TimeProvider.System, cacheEntries, DnssecLimits.MaxQueriesPerValidation);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        Hierarchy.Dispose();
    }
}
