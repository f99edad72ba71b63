using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MonitorService.Testing.Dns;

/// <summary>Encodes RDATA for the record types the test zone supports.</summary>
internal static class DnsRData
{
    public const int MaxCharacterStringLength = 255;

    public static byte[] A(string address) => Address(address, AddressFamily.InterNetwork, "IPv4");

    public static byte[] Aaaa(string address) => Address(address, AddressFamily.InterNetworkV6, "IPv6");

    public static byte[] Name(string name) => DnsName.Encode(DnsName.Validate(name));

    public static byte[] Mx(ushort preference, string exchange)
    {
        byte[] host = Name(exchange);
        var rdata = new byte[2 + host.Length];
        BinaryPrimitives.WriteUInt16BigEndian(rdata, preference);
        host.CopyTo(rdata, 2);
        return rdata;
    }

    /// <summary>SOA RDATA (RFC 1035 3.3.13) with the given serial and fixed, ordinary timers.</summary>
    public static byte[] Soa(string primary, string mailbox, uint serial)
    {
        var rdata = new List<byte>();
        rdata.AddRange(Name(primary));
        rdata.AddRange(Name(mailbox));
        foreach (uint value in new[] { serial, 3600u, 600u, 1209600u, 300u })
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
            rdata.AddRange(bytes);
        }

        return [.. rdata];
    }

    /// <summary>TLSA (RFC 6698 §2.1): usage, selector, matching type, then the association data as is.</summary>
    public static byte[] Tlsa(byte usage, byte selector, byte matchingType, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return [usage, selector, matchingType, .. data];
    }

    /// <summary>One TXT RR made of several character-strings; strings are UTF-8 encoded.</summary>
    public static byte[] Txt(IReadOnlyList<string> strings)
    {
        ArgumentNullException.ThrowIfNull(strings);
        return Txt(strings.Select(s => Encoding.UTF8.GetBytes(s ?? throw new ArgumentNullException(nameof(strings)))).ToArray());
    }

    /// <summary>One TXT RR made of several raw character-strings (each 0..255 bytes).</summary>
    public static byte[] Txt(IReadOnlyList<byte[]> strings)
    {
        ArgumentNullException.ThrowIfNull(strings);
        if (strings.Count == 0)
        {
            throw new ArgumentException("A TXT record needs at least one character-string.", nameof(strings));
        }

        var rdata = new List<byte>();
        foreach (byte[] s in strings)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(strings));
            if (s.Length > MaxCharacterStringLength)
            {
                throw new ArgumentException($"TXT character-string of {s.Length} bytes exceeds 255.", nameof(strings));
            }

            rdata.Add((byte)s.Length);
            rdata.AddRange(s);
        }

        if (rdata.Count > ushort.MaxValue)
        {
            throw new ArgumentException("TXT record is longer than 65535 bytes.", nameof(strings));
        }

        return [.. rdata];
    }

    private static byte[] Address(string address, AddressFamily family, string label)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (!IPAddress.TryParse(address, out IPAddress? ip) || ip.AddressFamily != family)
        {
            throw new ArgumentException($"'{address}' is not an {label} address.", nameof(address));
        }

        return ip.GetAddressBytes();
    }
}
