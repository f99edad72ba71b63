using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MonitorService.Benchmarks.Engine;

/// <summary>One DNS question over UDP with a hand-built packet; the answer is received, not parsed.</summary>
public static class RawDns
{
    public const ushort A = 1, Mx = 15, Txt = 16, Aaaa = 28;

    public static async Task QueryAsync(IPEndPoint server, string name, ushort type, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        await socket.ConnectAsync(server, ct);
        var packet = Build(name, type, (ushort)Random.Shared.Next(ushort.MaxValue));
        await socket.SendAsync(packet, SocketFlags.None, ct);
        var buffer = new byte[1232];
        await socket.ReceiveAsync(buffer, SocketFlags.None, ct);
    }

    private static byte[] Build(string name, ushort type, ushort id)
    {
        var bytes = new byte[12 + name.Length + 2 + 4];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, id);
        bytes[2] = 0x01; // RD
        bytes[5] = 1; // QDCOUNT
        var at = 12;
        foreach (var label in name.Split('.'))
        {
            bytes[at++] = (byte)label.Length;
            at += Encoding.ASCII.GetBytes(label, bytes.AsSpan(at));
        }
        bytes[at++] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at), type);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at + 2), 1); // IN
        return bytes;
    }
}
