using System.Diagnostics;
using MonitorService.Checks.Dns;
using MonitorService.Testing.Dns;

namespace MonitorService.Checks.Tests.Dns;

/// <summary>
/// DNS over TCP (after a truncated UDP answer) is a length-prefixed message of at most 64 KiB, so its size is
/// bounded by the protocol; its time must be bounded by the lookup's limit even when bytes keep arriving.
/// </summary>
public class DnsClientResolverTcpTests
{
    [Fact]
    public async Task A_tcp_answer_that_trickles_is_cut_off_by_the_time_limit_and_reported_as_failed()
    {
        await using var server = await TestDnsServer.StartAsync();
        server.Zone.AddTxt("_mta-sts.example.test", "v=STSv1; id=" + new string('1', 200));
        server.Zone.SetBehavior("_mta-sts.example.test", DnsBehavior.TrickleTcp);
        var timeout = TimeSpan.FromSeconds(3);
        var resolver = new DnsClientResolver([server.EndPoint], timeout);

        var started = Stopwatch.GetTimestamp();
        var answer = await resolver.GetTxtAsync("_mta-sts.example.test", CancellationToken.None);
        var elapsed = Stopwatch.GetElapsedTime(started);

        // The answer is ~250 bytes at one byte per 200 ms: 50 s if nothing cut it off.
        Assert.Equal(DnsOutcome.Failed, answer.Outcome);
        Assert.True(elapsed < timeout * 2, $"took {elapsed}");
        Assert.True(server.QueryCount("_mta-sts.example.test", "TXT", tcp: true) >= 1);
        // The connection the resolver gave up on is closed, not left to the server to finish trickling.
        var closing = Stopwatch.StartNew();
        while (server.OpenTcpConnections > 0 && closing.Elapsed < TimeSpan.FromSeconds(5))
            await Task.Delay(50);
        Assert.Equal(0, server.OpenTcpConnections);
    }
}
