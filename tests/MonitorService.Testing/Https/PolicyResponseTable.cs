using System.Collections.Concurrent;
using System.Net;

namespace MonitorService.Testing;

/// <summary>
/// Thread-safe response configuration. Lookup order: (host, IP), host, IP, <see cref="Default"/>.
/// Host names are compared case-insensitively, ignoring a trailing dot.
/// </summary>
internal sealed class PolicyResponseTable
{
    private readonly ConcurrentDictionary<(string Host, IPAddress Address), PolicyResponse> _byHostAndAddress = new();
    private readonly ConcurrentDictionary<string, PolicyResponse> _byHost = new();
    private readonly ConcurrentDictionary<IPAddress, PolicyResponse> _byAddress = new();

    public PolicyResponse Default { get; set; } = PolicyResponse.NotFound;

    public void Set(string host, PolicyResponse response) => _byHost[Normalize(host)] = response;

    public void Set(IPAddress address, PolicyResponse response) => _byAddress[address] = response;

    public void Set(string host, IPAddress address, PolicyResponse response) => _byHostAndAddress[(Normalize(host), address)] = response;

    public void Clear()
    {
        _byHostAndAddress.Clear();
        _byHost.Clear();
        _byAddress.Clear();
    }

    public PolicyResponse Resolve(string? host, IPAddress address)
    {
        if (host is not null)
        {
            var key = Normalize(host);
            if (_byHostAndAddress.TryGetValue((key, address), out var specific))
            {
                return specific;
            }

            if (_byHost.TryGetValue(key, out var byHost))
            {
                return byHost;
            }
        }

        return _byAddress.TryGetValue(address, out var byAddress) ? byAddress : Default;
    }

    internal static string Normalize(string host) => host.TrimEnd('.').ToLowerInvariant();
}
