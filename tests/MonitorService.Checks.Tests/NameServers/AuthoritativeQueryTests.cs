using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MonitorService.Checks.NameServers;

namespace MonitorService.Checks.Tests.NameServers;

public class AuthoritativeQueryTests
{
    [Fact]
    public async Task Questions_go_to_the_one_server_asked_without_recursion_desired()
    {
        // A bare UDP socket stands in for the server: it sees the raw query and never answers.
        using var server = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var query = new DnsClientAuthoritativeQuery(TimeSpan.FromSeconds(1));

        var asking = query.AskAsync((IPEndPoint)server.Client.LocalEndPoint!, new AuthoritativeQuestion("_mta-sts.example.test", AuthoritativeRecordType.Txt), CancellationToken.None);
        var received = await server.ReceiveAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var answer = await asking;

        var flags = BinaryPrimitives.ReadUInt16BigEndian(received.Buffer.AsSpan(2));
        Assert.Equal(0, flags & 0x0100); // RD=0: an authoritative server is asked what it holds, never to recurse
        Assert.Equal(AuthoritativeStatus.NoAnswer, answer.Status);
        Assert.Equal("did not answer within 1 s", answer.Error);
    }

    [Theory]
    [InlineData(2026113002u, 2026113001u, true)]
    [InlineData(2026113001u, 2026113002u, false)]
    [InlineData(5u, 4294967290u, true)] // wrapped around (RFC 1982 §3.2)
    [InlineData(7u, 7u, false)]
    public void Serials_compare_by_serial_number_arithmetic(uint a, uint b, bool newer) => Assert.Equal(newer, SoaSerial.IsNewer(a, b));
}
