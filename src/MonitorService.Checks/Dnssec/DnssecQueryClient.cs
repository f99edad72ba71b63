using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace MonitorService.Checks.Dnssec;

/// <summary>A DNS question answered with its DNSSEC records, or a <see cref="DnssecLookupException"/>.</summary>
internal interface IDnssecQueryClient
{
    /// <param name="checkingDisabled">The CD bit: a validating resolver hands over data it judged bogus instead of SERVFAIL.</param>
    Task<WireMessage> QueryAsync(DomainLabels name, ushort type, bool checkingDisabled, CancellationToken cancellationToken);
}

/// <summary>A lookup on the validation path failed: the verdict is then Indeterminate, never Bogus or Insecure.</summary>
/// <param name="detail">What went wrong without the question ("the DNS server did not answer in time"), for the answer's error.</param>
internal sealed class DnssecLookupException(string message, string? detail = null) : Exception(message)
{
    public string Detail { get; } = detail ?? message;
}

/// <summary>
/// Asks the engine's configured recursive resolvers (the same ones DnsClient asks) with the DO bit, so answers come
/// with their RRSIG, DNSKEY, DS, NSEC and NSEC3 records, and (when asked to) with CD, so a validating resolver hands
/// over bogus data instead of SERVFAIL and we can say what is wrong with it. Never trusts the AD bit (it is not even read).
/// UDP with an EDNS buffer of 1232 bytes (DNS flag day 2020); a truncated answer is asked again over TCP, whose
/// length prefix bounds it at 64 KiB. Each try has a third of the time limit, as the engine's other lookups.
/// </summary>
internal sealed class DnssecQueryClient : IDnssecQueryClient
{
    private const int EdnsBufferSize = 1232;
    private const int Tries = 3;

    private readonly IReadOnlyList<IPEndPoint> _servers;
    private readonly TimeSpan _tryTimeout;

    public DnssecQueryClient(IReadOnlyList<IPEndPoint> servers, TimeSpan timeout)
    {
        _servers = servers.Count > 0
            ? servers
            : DnsClient.NameServer.ResolveNameServers(skipIPv6SiteLocal: true, fallbackToGooglePublicDns: false).Select(n => new IPEndPoint(IPAddress.Parse(n.Address), n.Port)).ToList();
        _tryTimeout = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, timeout.Ticks / Tries));
    }

    public async Task<WireMessage> QueryAsync(DomainLabels name, ushort type, bool checkingDisabled, CancellationToken cancellationToken)
    {
        if (_servers.Count == 0)
            throw new DnssecLookupException("no DNS server is configured");
        string? lastError = null;
        string? lastDetail = null;
        for (var attempt = 0; attempt < Tries; attempt++)
        {
            var server = _servers[attempt % _servers.Count];
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(_tryTimeout);
            try
            {
                var id = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
                var query = BuildQuery(id, name, type, checkingDisabled);
                var response = await AskUdpAsync(server, query, id, name, type, limit.Token).ConfigureAwait(false);
                if (response.Truncated)
                    response = await AskTcpAsync(server, query, id, name, type, limit.Token).ConfigureAwait(false);
                return response;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastDetail = "the DNS server did not answer in time";
                lastError = $"{name} {RrType.Name(type)}: {lastDetail}";
            }
            catch (Exception e) when (e is SocketException or IOException or FormatException)
            {
                lastDetail = e.Message;
                lastError = $"{name} {RrType.Name(type)}: {e.Message}";
            }
        }
        throw new DnssecLookupException(lastError ?? "the lookup failed", lastDetail);
    }

    private static async Task<WireMessage> AskUdpAsync(IPEndPoint server, byte[] query, ushort id, DomainLabels name, ushort type, CancellationToken ct)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, ct).ConfigureAwait(false);
        await socket.SendAsync(query, SocketFlags.None, ct).ConfigureAwait(false);
        var buffer = new byte[4096];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
            try
            {
                return WireMessageReader.Read(buffer.AsSpan(0, received), id, name, type);
            }
            catch (FormatException) when (received >= 2 && BinaryPrimitives.ReadUInt16BigEndian(buffer) != id)
            {
                // A stray datagram (an earlier try's late answer): keep waiting for ours within the time limit.
            }
        }
    }

    private static async Task<WireMessage> AskTcpAsync(IPEndPoint server, byte[] query, ushort id, DomainLabels name, ushort type, CancellationToken ct)
    {
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server, ct).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var framed = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
        query.CopyTo(framed, 2);
        await stream.WriteAsync(framed, ct).ConfigureAwait(false);
        var prefix = new byte[2];
        await stream.ReadExactlyAsync(prefix, ct).ConfigureAwait(false);
        var response = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
        await stream.ReadExactlyAsync(response, ct).ConfigureAwait(false);
        return WireMessageReader.Read(response, id, name, type);
    }

    /// <summary>RD (and CD when asked) set, one question, an OPT record with DO (RFC 3225) and our buffer size.</summary>
    internal static byte[] BuildQuery(ushort id, DomainLabels name, ushort type, bool checkingDisabled = true)
    {
        var nameWire = name.ToWire();
        var packet = new byte[12 + nameWire.Length + 4 + 11];
        BinaryPrimitives.WriteUInt16BigEndian(packet, id);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)(checkingDisabled ? 0x0110 : 0x0100));
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), 1);
        nameWire.CopyTo(packet, 12);
        var offset = 12 + nameWire.Length;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset), type);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset + 2), 1);
        offset += 4;
        packet[offset] = 0; // root owner
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset + 1), RrType.Opt);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset + 3), EdnsBufferSize);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(offset + 5), 0x8000); // DO
        return packet;
    }
}
