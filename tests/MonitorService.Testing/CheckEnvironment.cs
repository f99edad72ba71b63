using System.Net;
using MonitorService.Checks;
using MonitorService.Checks.Model;
using MonitorService.Testing;
using MonitorService.Testing.Dns;
using MonitorService.Testing.Dns.Dnssec;

namespace MonitorService.Testing;

/// <summary>
/// A small internet on loopback for one test: an authoritative DNS server, an HTTPS policy host and SMTP servers,
/// with certificates from a test CA. <see cref="PublishHealthyDomain"/> sets up a domain that passes every check,
/// and each test then breaks one thing. Every environment has its own ports, so tests run in parallel.
/// </summary>
public sealed class CheckEnvironment : IAsyncDisposable
{
    public const string Domain = "example.test";
    public const string PolicyHost = "mta-sts.example.test";
    public const string Mx1 = "mx1.example.test";
    public const string Mx2 = "mx2.example.test";
    public const string HealthyPolicy = "version: STSv1\r\nmode: enforce\r\nmax_age: 604800\r\nmx: mx1.example.test\r\nmx: mx2.example.test\r\n";

    public static readonly IPAddress PolicyIp = IPAddress.Parse("127.0.0.20");
    public static readonly IPAddress PolicyIp2 = IPAddress.Parse("127.0.0.21");
    /// <summary>An address where nothing listens: connections are refused.</summary>
    public static readonly IPAddress DeadIp = IPAddress.Parse("127.0.0.29");
    public static readonly IPAddress Mx1Ip = IPAddress.Parse("127.0.0.30");
    public static readonly IPAddress Mx2Ip = IPAddress.Parse("127.0.0.31");
    public static readonly IPAddress MxSpareIp = IPAddress.Parse("127.0.0.32");

    private readonly string _caFile;
    private string? _trustAnchorFile;
    private int _authoritativeDnsPort = 53;

    private CheckEnvironment(TestCertificateAuthority ca, TestDnsServer dns, PolicyHttpsServer https, SmtpTestServer smtp, string caFile)
    {
        Ca = ca;
        Dns = dns;
        Https = https;
        Smtp = smtp;
        _caFile = caFile;
    }

    public TestCertificateAuthority Ca { get; }
    public TestDnsServer Dns { get; }
    public TestDnsZone Zone => Dns.Zone;
    public PolicyHttpsServer Https { get; }
    public SmtpTestServer Smtp { get; }

    /// <param name="intermediateCa">Issue leaves from an intermediate CA, which the servers send after the leaf
    /// (clear their <c>ChainCertificates</c> to serve leaf-only chains).</param>
    public static async Task<CheckEnvironment> StartAsync(bool intermediateCa = false)
    {
        var ca = new TestCertificateAuthority(withIntermediate: intermediateCa);
        var caFile = ca.WriteRootPemFile(Path.Combine(Path.GetTempPath(), $"monitor-test-ca-{Guid.NewGuid():N}.pem"));
        var dns = await TestDnsServer.StartAsync();
        var https = await PolicyHttpsServer.StartAsync(ca.IssueLeaf(PolicyHost), PolicyIp, PolicyIp2);
        var smtp = await SmtpTestServer.StartAsync(ca.IssueLeaf(Mx1, Mx2), Mx1Ip, Mx2Ip, MxSpareIp);
        https.ChainCertificates = ca.ChainCertificates;
        smtp.ChainCertificates = ca.ChainCertificates;
        return new CheckEnvironment(ca, dns, https, smtp, caFile);
    }

    /// <summary>A domain that passes every check: TXT, enforce policy covering both MX hosts, STARTTLS with valid certificates, TLS-RPT.</summary>
    public CheckEnvironment PublishHealthyDomain()
    {
        Zone.AddTxt($"_mta-sts.{Domain}", "v=STSv1; id=20260101");
        Zone.AddA(PolicyHost, PolicyIp.ToString());
        Zone.AddMx(Domain, 10, Mx1).AddMx(Domain, 20, Mx2);
        Zone.AddA(Mx1, Mx1Ip.ToString()).AddA(Mx2, Mx2Ip.ToString());
        Zone.AddTxt($"_smtp._tls.{Domain}", "v=TLSRPTv1; rua=mailto:tlsrpt@example.test");
        Https.SetResponse(PolicyHost, PolicyResponse.Ok(HealthyPolicy));
        Smtp.SetCertificate(Mx1, Ca.IssueLeaf(Mx1));
        Smtp.SetCertificate(Mx2, Ca.IssueLeaf(Mx2));
        return this;
    }

    /// <summary>
    /// Many healthy domains (<c>d0000.example.test</c>, ...) sharing the two MX hosts, as a shared mail provider's
    /// customers do; their policy hosts are served by one certificate naming them all (or, with
    /// <paramref name="certificatePerPolicyHost"/>, each by its own, as on the internet: a certificate naming thousands of
    /// hosts is slow to issue and makes every handshake carry it). For cluster tests and benchmarks.
    /// </summary>
    public IReadOnlyList<string> PublishSyntheticDomains(int count, bool certificatePerPolicyHost = false)
    {
        var domains = Enumerable.Range(0, count).Select(i => $"d{i:0000}.{Domain}").ToList();
        foreach (var domain in domains)
        {
            Zone.AddTxt($"_mta-sts.{domain}", "v=STSv1; id=20260101");
            Zone.AddA($"mta-sts.{domain}", PolicyIp.ToString());
            Zone.AddMx(domain, 10, Mx1).AddMx(domain, 20, Mx2);
            Zone.AddTxt($"_smtp._tls.{domain}", $"v=TLSRPTv1; rua=mailto:tlsrpt@{domain}");
        }
        Zone.AddA(Mx1, Mx1Ip.ToString()).AddA(Mx2, Mx2Ip.ToString());
        if (certificatePerPolicyHost)
        {
            foreach (var domain in domains)
                Https.SetCertificate($"mta-sts.{domain}", Ca.IssueLeaf($"mta-sts.{domain}"));
        }
        else
        {
            Https.DefaultCertificate = Ca.IssueLeaf([.. domains.Select(d => $"mta-sts.{d}")]);
        }
        Https.DefaultResponse = PolicyResponse.Ok(HealthyPolicy);
        Smtp.SetCertificate(Mx1, Ca.IssueLeaf(Mx1));
        Smtp.SetCertificate(Mx2, Ca.IssueLeaf(Mx2));
        return domains;
    }

    /// <summary>The signed hierarchy in front of <see cref="Zone"/> after <see cref="SignZones"/>, else null.</summary>
    public TestDnssecHierarchy? Dnssec => Dns.Dnssec;

    /// <summary>
    /// Serves the zone's records from a signed hierarchy (test root, <c>test.</c>, <c>example.test.</c>) and switches
    /// the engine's DNSSEC validation on with the test root as its trust anchor. Without this call validation stays
    /// off: the plain test zone is unsigned, and the other tests count the queries the engine makes.
    /// </summary>
    public TestDnssecHierarchy SignZones(byte algorithm = 13)
    {
        var hierarchy = TestDnssecHierarchy.Standard(Zone, algorithm);
        Dns.Dnssec = hierarchy;
        _trustAnchorFile = hierarchy.WriteTrustAnchorFile();
        // The signed zone delegates to ns.example.test: give it this server's address and port, so the engine's
        // name-server survey finds the zone's one server answering (a name server without an address is lame).
        Zone.AddA($"ns.{Domain}", Dns.EndPoint.Address.ToString());
        _authoritativeDnsPort = Dns.EndPoint.Port;
        return hierarchy;
    }

    public CheckOptions Options(Action<CheckOptions>? adjust = null)
    {
        var options = new CheckOptions
        {
            Resolvers = [Dns.EndPoint.ToString()],
            CaFile = _caFile,
            PolicyPort = Https.Port,
            SmtpPort = Smtp.Port,
            AllowPrivateAddresses = true,
            TimeoutSeconds = 2,
            DnssecValidation = _trustAnchorFile is not null,
            AuthoritativeDnsPort = _authoritativeDnsPort,
            DnssecTrustAnchorFile = _trustAnchorFile,
        };
        adjust?.Invoke(options);
        return options;
    }

    public Task<CheckReport> CheckAsync(Action<CheckOptions>? adjust = null, string domain = Domain) =>
        DomainChecker.Create(Options(adjust), TimeProvider.System).CheckAsync(domain);

    public async ValueTask DisposeAsync()
    {
        await Smtp.DisposeAsync();
        await Https.DisposeAsync();
        await Dns.DisposeAsync();
        Ca.Dispose();
        File.Delete(_caFile);
        Dns.Dnssec?.Dispose();
        if (_trustAnchorFile is not null)
            File.Delete(_trustAnchorFile);
    }
}
