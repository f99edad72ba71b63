using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace MonitorService.Testing.Dns;

public sealed class TestDnsServerTests : IAsyncLifetime
{
    private TestDnsServer _server = null!;
    private LookupClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await TestDnsServer.StartAsync();
        _client = new LookupClient(_server.CreateClientOptions());
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void Listens_on_loopback_with_a_random_port()
    {
        Assert.Equal(IPAddress.Loopback, _server.EndPoint.Address);
        Assert.NotEqual(0, _server.EndPoint.Port);
    }

    [Fact]
    public async Task Answers_A_and_AAAA_authoritatively()
    {
        _server.Zone.AddA("mx1.example.test", "127.0.0.10").AddA("mx1.example.test", "127.0.0.11").AddAaaa("mx1.example.test.", "::1");

        IDnsQueryResponse a = await _client.QueryAsync("MX1.Example.Test", QueryType.A);
        IDnsQueryResponse aaaa = await _client.QueryAsync("mx1.example.test", QueryType.AAAA);

        Assert.False(a.HasError);
        Assert.True(a.Header.HasAuthorityAnswer);
        Assert.Equal(["127.0.0.10", "127.0.0.11"], a.Answers.ARecords().Select(r => r.Address.ToString()).Order());
        Assert.All(a.Answers, r => Assert.Equal(300, r.InitialTimeToLive));
        Assert.Equal(IPAddress.IPv6Loopback, Assert.Single(aaaa.Answers.AaaaRecords()).Address);
    }

    [Fact]
    public async Task Answers_MX()
    {
        _server.Zone.AddMx("example.test", 10, "mx1.example.test").AddMx("example.test", 20, "mx2.example.test.");

        IDnsQueryResponse response = await _client.QueryAsync("example.test", QueryType.MX);

        var mx = response.Answers.MxRecords().OrderBy(r => r.Preference).ToList();
        Assert.Equal([10, 20], mx.Select(r => (int)r.Preference));
        Assert.Equal(["mx1.example.test.", "mx2.example.test."], mx.Select(r => r.Exchange.Value));
    }

    [Fact]
    public async Task Multi_string_TXT_is_one_record_with_separate_strings()
    {
        string long255 = new('x', 255);
        _server.Zone.AddTxt("_mta-sts.example.test", "v=STSv1; ", "id=20240101;").AddTxt("other.example.test", long255, "tail");

        IDnsQueryResponse response = await _client.QueryAsync("_mta-sts.example.test", QueryType.TXT);
        IDnsQueryResponse other = await _client.QueryAsync("other.example.test", QueryType.TXT);

        TxtRecord txt = Assert.Single(response.Answers.TxtRecords());
        Assert.Equal(["v=STSv1; ", "id=20240101;"], txt.Text);
        Assert.Equal([long255, "tail"], Assert.Single(other.Answers.TxtRecords()).Text);
    }

    [Fact]
    public async Task TXT_accepts_raw_non_ascii_bytes()
    {
        _server.Zone.AddTxt("raw.example.test", [0x76, 0x3D, 0xC3, 0xA9], [0xFF]);

        IDnsQueryResponse response = await _client.QueryAsync("raw.example.test", QueryType.TXT);

        TxtRecord txt = Assert.Single(response.Answers.TxtRecords());
        Assert.Equal(2, txt.Text.Count);
        Assert.Equal("v=é", txt.Text.First());
    }

    [Fact]
    public void TXT_strings_longer_than_255_bytes_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => _server.Zone.AddTxt("x.example.test", new string('x', 256)));
    }

    [Fact]
    public async Task CNAME_chains_are_followed_to_the_asked_type()
    {
        _server.Zone
            .AddCname("mta-sts.example.test", "hop1.example.test")
            .AddCname("hop1.example.test", "hop2.example.test")
            .AddA("hop2.example.test", "127.0.0.20")
            .AddTxt("hop2.example.test", "not asked");

        IDnsQueryResponse response = await _client.QueryAsync("mta-sts.example.test", QueryType.A);

        Assert.Equal(DnsHeaderResponseCode.NoError, response.Header.ResponseCode);
        Assert.Equal(
            ["hop1.example.test.", "hop2.example.test."],
            response.Answers.CnameRecords().Select(r => r.CanonicalName.Value));
        Assert.Equal("127.0.0.20", Assert.Single(response.Answers.ARecords()).Address.ToString());
        Assert.Empty(response.Answers.TxtRecords());
    }

    [Fact]
    public async Task CNAME_loops_and_out_of_zone_targets_are_safe()
    {
        _server.Zone.AddCname("loop1.example.test", "loop2.example.test").AddCname("loop2.example.test", "loop1.example.test")
            .AddCname("away.example.test", "elsewhere.invalid");

        IDnsQueryResponse loop = await _client.QueryAsync("loop1.example.test", QueryType.A);
        IDnsQueryResponse away = await _client.QueryAsync("away.example.test", QueryType.A);
        IDnsQueryResponse cnameItself = await _client.QueryAsync("away.example.test", QueryType.CNAME);

        Assert.Equal(2, loop.Answers.CnameRecords().Count());
        Assert.Equal(DnsHeaderResponseCode.NoError, away.Header.ResponseCode);
        Assert.Equal("elsewhere.invalid.", Assert.Single(away.Answers.CnameRecords()).CanonicalName.Value);
        Assert.Single(cnameItself.Answers.CnameRecords());
    }

    [Fact]
    public void CNAME_cannot_coexist_with_other_records()
    {
        _server.Zone.AddA("both.example.test", "127.0.0.1");

        Assert.Throws<InvalidOperationException>(() => _server.Zone.AddCname("both.example.test", "x.example.test"));
    }

    [Fact]
    public async Task NXDOMAIN_and_NODATA_are_distinguishable()
    {
        _server.Zone.AddA("exists.example.test", "127.0.0.30");

        IDnsQueryResponse nxdomain = await _client.QueryAsync("missing.example.test", QueryType.TXT);
        IDnsQueryResponse nodata = await _client.QueryAsync("exists.example.test", QueryType.TXT);

        Assert.True(nxdomain.HasError);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, nxdomain.Header.ResponseCode);
        Assert.False(nodata.HasError);
        Assert.Equal(DnsHeaderResponseCode.NoError, nodata.Header.ResponseCode);
        Assert.Empty(nodata.Answers);
    }

    [Fact]
    public async Task A_name_with_names_below_it_exists_even_without_records_of_its_own()
    {
        _server.Zone.AddTxt("_mta-sts.example.test", "v=STSv1; id=1");

        // RFC 8020: NXDOMAIN means nothing exists at or below the name; "example.test" is an empty non-terminal.
        IDnsQueryResponse parent = await _client.QueryAsync("example.test", QueryType.MX);
        IDnsQueryResponse unrelated = await _client.QueryAsync("ample.test", QueryType.MX);

        Assert.Equal(DnsHeaderResponseCode.NoError, parent.Header.ResponseCode);
        Assert.Empty(parent.Answers);
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, unrelated.Header.ResponseCode);
    }

    [Fact]
    public async Task Zone_changes_between_queries_are_visible()
    {
        _server.Zone.AddTxt("_mta-sts.example.test", "v=STSv1; id=1");
        IDnsQueryResponse before = await _client.QueryAsync("_mta-sts.example.test", QueryType.TXT);

        Assert.Equal(1, _server.Zone.Remove("_mta-sts.example.test", "TXT"));
        IDnsQueryResponse removed = await _client.QueryAsync("_mta-sts.example.test", QueryType.TXT);

        _server.Zone.AddTxt("_mta-sts.example.test", "v=STSv1; id=2");
        IDnsQueryResponse after = await _client.QueryAsync("_mta-sts.example.test", QueryType.TXT);

        _server.Zone.Clear("_MTA-STS.example.test.");
        IDnsQueryResponse cleared = await _client.QueryAsync("_mta-sts.example.test", QueryType.TXT);

        Assert.Equal("v=STSv1; id=1", Assert.Single(before.Answers.TxtRecords()).Text.Single());
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, removed.Header.ResponseCode);
        Assert.Equal("v=STSv1; id=2", Assert.Single(after.Answers.TxtRecords()).Text.Single());
        Assert.Equal(DnsHeaderResponseCode.NotExistentDomain, cleared.Header.ResponseCode);
    }

    [Fact]
    public async Task ServFail_behavior()
    {
        _server.Zone.AddA("broken.example.test", "127.0.0.1").SetBehavior("broken.example.test", DnsBehavior.ServFail);

        IDnsQueryResponse response = await _client.QueryAsync("broken.example.test", QueryType.A);

        Assert.True(response.HasError);
        Assert.Equal(DnsHeaderResponseCode.ServerFailure, response.Header.ResponseCode);
        Assert.Empty(response.Answers);
    }

    [Fact]
    public async Task ServFailUnlessCheckingDisabled_behavior_answers_only_queries_with_the_cd_bit()
    {
        _server.Zone.AddA("bogus.example.test", "192.0.2.1").SetBehavior("bogus.example.test", DnsBehavior.ServFailUnlessCheckingDisabled);

        byte[] plain = await AskRawAsync("bogus.example.test", checkingDisabled: false);
        byte[] withCd = await AskRawAsync("bogus.example.test", checkingDisabled: true);

        Assert.Equal((2, 0), (plain[3] & 0xF, (plain[6] << 8) | plain[7]));
        Assert.Equal((0, 1), (withCd[3] & 0xF, (withCd[6] << 8) | withCd[7]));
    }

    /// <summary>An A query with RD (and CD when asked) over UDP; the raw response.</summary>
    private async Task<byte[]> AskRawAsync(string name, bool checkingDisabled)
    {
        var query = new List<byte> { 0x12, 0x34, 0x01, (byte)(checkingDisabled ? 0x10 : 0x00), 0, 1, 0, 0, 0, 0, 0, 0 };
        foreach (string label in name.Split('.'))
        {
            query.Add((byte)label.Length);
            query.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }

        query.AddRange(new byte[] { 0, 0, 1, 0, 1 });
        using var udp = new UdpClient(AddressFamily.InterNetwork);
        udp.Connect(_server.EndPoint);
        await udp.SendAsync(query.ToArray());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return (await udp.ReceiveAsync(timeout.Token)).Buffer;
    }

    [Fact]
    public async Task Refused_behavior()
    {
        _server.Zone.SetBehavior("refused.example.test", DnsBehavior.Refused);

        IDnsQueryResponse response = await _client.QueryAsync("refused.example.test", QueryType.TXT);

        Assert.True(response.HasError);
        Assert.Equal(DnsHeaderResponseCode.Refused, response.Header.ResponseCode);
    }

    [Fact]
    public async Task Hang_behavior_makes_the_client_time_out()
    {
        _server.Zone.AddA("slow.example.test", "127.0.0.1").SetBehavior("SLOW.example.test.", DnsBehavior.Hang);

        var impatient = new LookupClient(_server.CreateClientOptions(timeout: TimeSpan.FromSeconds(1)));
        var stopwatch = Stopwatch.StartNew();
        DnsResponseException ex = await Assert.ThrowsAsync<DnsResponseException>(() => impatient.QueryAsync("slow.example.test", QueryType.A));

        Assert.Equal(DnsResponseCode.ConnectionTimeout, ex.Code);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromSeconds(0.9), stopwatch.Elapsed.ToString());
        Assert.Equal(1, _server.QueryCount("slow.example.test", "A"));

        _server.Zone.SetBehavior("slow.example.test", DnsBehavior.Normal);
        IDnsQueryResponse recovered = await _client.QueryAsync("slow.example.test", QueryType.A);
        Assert.Single(recovered.Answers.ARecords());
    }

    [Fact]
    public async Task Truncate_behavior_forces_a_successful_TCP_retry()
    {
        _server.Zone.AddTxt("big.example.test", "over tcp").SetBehavior("big.example.test", DnsBehavior.Truncate);

        IDnsQueryResponse response = await _client.QueryAsync("big.example.test", QueryType.TXT);

        Assert.False(response.HasError);
        Assert.Equal("over tcp", Assert.Single(response.Answers.TxtRecords()).Text.Single());
        Assert.Equal([("big.example.test", "TXT", false), ("big.example.test", "TXT", true)], _server.Queries);
        Assert.Equal(1, _server.QueryCount("big.example.test", "TXT", tcp: true));
    }

    [Fact]
    public async Task Oversized_UDP_answers_are_truncated_and_served_over_TCP()
    {
        for (int i = 0; i < 40; i++)
        {
            _server.Zone.AddTxt("many.example.test", $"record {i} " + new string('y', 200));
        }

        IDnsQueryResponse response = await _client.QueryAsync("many.example.test", QueryType.TXT);

        Assert.Equal(40, response.Answers.TxtRecords().Count());
        Assert.Equal(1, _server.QueryCount("many.example.test", "TXT", tcp: true));
    }

    [Fact]
    public async Task Queries_are_counted_per_name_and_type()
    {
        _server.Zone.AddA("count.example.test", "127.0.0.1");

        await _client.QueryAsync("count.example.test", QueryType.A);
        await _client.QueryAsync("Count.Example.Test.", QueryType.A);
        await _client.QueryAsync("count.example.test", QueryType.MX);

        Assert.Equal(2, _server.QueryCount("count.example.test.", "a"));
        Assert.Equal(1, _server.QueryCount("COUNT.example.test", "MX"));
        Assert.Equal(0, _server.QueryCount("count.example.test", "TXT"));
        Assert.Equal(3, _server.Queries.Count);

        _server.ClearQueries();
        Assert.Empty(_server.Queries);
    }

    [Fact]
    public async Task Malformed_packets_are_ignored_and_the_server_keeps_working()
    {
        _server.Zone.AddA("ok.example.test", "127.0.0.40");
        using (var udp = new UdpClient(AddressFamily.InterNetwork))
        {
            udp.Connect(_server.EndPoint);
            await udp.SendAsync(Array.Empty<byte>());
            await udp.SendAsync(new byte[] { 1, 2, 3 });
            await udp.SendAsync(new byte[] { 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 0x0C, 0, 1, 0, 1 }); // self-pointing name
            await udp.SendAsync(new byte[] { 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 63, 0x61 }); // label runs past the end
            await udp.SendAsync(Enumerable.Range(0, 600).Select(i => (byte)i).ToArray());
        }

        using (var tcp = new TcpClient(AddressFamily.InterNetwork))
        {
            await tcp.ConnectAsync(_server.EndPoint);
            await tcp.GetStream().WriteAsync(new byte[] { 0, 5, 1, 2, 3, 4, 5, 0xFF, 0xFF, 9 });
        }

        IDnsQueryResponse response = await _client.QueryAsync("ok.example.test", QueryType.A);

        Assert.Equal("127.0.0.40", Assert.Single(response.Answers.ARecords()).Address.ToString());
        Assert.Equal([("ok.example.test", "A", false)], _server.Queries);
    }

    [Fact]
    public async Task Raw_query_with_EDNS_OPT_is_answered_without_OPT()
    {
        _server.Zone.AddA("edns.example.test", "127.0.0.50");
        byte[] query =
        [
            0xAB, 0xCD, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 1,
            4, (byte)'e', (byte)'d', (byte)'n', (byte)'s', 7, (byte)'e', (byte)'x', (byte)'a', (byte)'m', (byte)'p', (byte)'l', (byte)'e',
            4, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0, 0, 1, 0, 1,
            0, 0, 41, 0x10, 0x00, 0, 0, 0, 0, 0, 0, // OPT, 4096-byte payload, no options
        ];

        using var udp = new UdpClient(AddressFamily.InterNetwork);
        udp.Connect(_server.EndPoint);
        await udp.SendAsync(query);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        UdpReceiveResult result = await udp.ReceiveAsync(timeout.Token);
        byte[] r = result.Buffer;

        Assert.Equal([0xAB, 0xCD], r[..2]);
        Assert.Equal(0x85, r[2]); // QR, AA, RD
        Assert.Equal(0x00, r[3]); // RA=0, NOERROR
        Assert.Equal([0, 1, 0, 1, 0, 0, 0, 0], r[4..12]); // 1 question, 1 answer, no authority/additional
        Assert.Equal([127, 0, 0, 50], r[^4..]);
    }

    [Fact]
    public async Task Dispose_stops_both_listeners_promptly()
    {
        TestDnsServer server = await TestDnsServer.StartAsync(new TestDnsZone().AddA("a.example.test", "127.0.0.1"));
        IPEndPoint endPoint = server.EndPoint;
        var client = new LookupClient(server.CreateClientOptions());
        Assert.Single((await client.QueryAsync("a.example.test", QueryType.A)).Answers);

        using var idleTcp = new TcpClient(AddressFamily.InterNetwork);
        await idleTcp.ConnectAsync(endPoint);

        var stopwatch = Stopwatch.StartNew();
        await server.DisposeAsync();
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), stopwatch.Elapsed.ToString());

        using var probe = new TcpClient(AddressFamily.InterNetwork);
        await Assert.ThrowsAnyAsync<SocketException>(async () => await probe.ConnectAsync(endPoint));
        await server.DisposeAsync(); // idempotent
    }
}
