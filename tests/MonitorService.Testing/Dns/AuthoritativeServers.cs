using System.Globalization;
using System.Net;

namespace MonitorService.Testing.Dns;

/// <summary>
/// The authoritative name servers of one test zone: one <see cref="TestDnsServer"/> per server name, each on its own
/// loopback address (127.0.0.41, .42, ...) and all on one port, each with its own copy of the zone and an SOA serial.
/// The "recursive" test server learns the delegation: NS records at the zone apex and an A record per server name.
/// </summary>
public sealed class AuthoritativeServers : IAsyncDisposable
{
    public const int FirstAddress = 41;

    private readonly IReadOnlyList<TestDnsServer> _servers;

    private AuthoritativeServers(string zone, IReadOnlyList<string> names, IReadOnlyList<TestDnsServer> servers)
    {
        Zone = zone;
        Names = names;
        _servers = servers;
    }

    public string Zone { get; }
    public IReadOnlyList<string> Names { get; }

    /// <summary>The port every server listens on (the engine's <c>AuthoritativeDnsPort</c>).</summary>
    public int Port => _servers[0].EndPoint.Port;

    /// <summary>Starts one server per name and publishes the delegation in <paramref name="recursive"/>.</summary>
    public static AuthoritativeServers Start(TestDnsZone recursive, string zone, uint serial, params string[] names) =>
        Start(zone, serial, names).DelegateFrom(recursive);

    /// <summary>Starts one server per name; <see cref="DelegateFrom"/> then tells a recursive test server about them.</summary>
    public static AuthoritativeServers Start(string zone, uint serial, params string[] names)
    {
        var servers = TestDnsServer.StartOnSharedPort(names.Select((_, i) => (AddressOf(i), new TestDnsZone().SetSoa(zone, serial))).ToList());
        return new AuthoritativeServers(zone, names, servers);
    }

    /// <summary>Publishes the delegation in <paramref name="recursive"/>: NS records at the zone apex and an A record per server.</summary>
    public AuthoritativeServers DelegateFrom(TestDnsZone recursive)
    {
        ArgumentNullException.ThrowIfNull(recursive);
        for (var i = 0; i < Names.Count; i++)
        {
            recursive.AddNs(Zone, Names[i]);
            recursive.AddA(Names[i], AddressOf(i).ToString());
        }

        return this;
    }

    public static IPAddress AddressOf(int index) => IPAddress.Parse("127.0.0." + (FirstAddress + index).ToString(CultureInfo.InvariantCulture));

    public TestDnsServer Server(string name) => _servers[IndexOf(name)];

    public IPAddress Address(string name) => AddressOf(IndexOf(name));

    /// <summary>Applies the same records to every server's zone.</summary>
    public AuthoritativeServers Publish(Action<TestDnsZone> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var server in _servers)
        {
            records(server.Zone);
        }

        return this;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private int IndexOf(string name)
    {
        var index = Names.ToList().IndexOf(name);
        return index >= 0 ? index : throw new ArgumentException($"No server named {name}.", nameof(name));
    }
}
