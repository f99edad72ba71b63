using System.Net;
using DnsClient;
using MonitorService.Checks.Dns;

namespace MonitorService.Checks.NameServers;

/// <summary><see cref="IDelegationResolver"/> on DnsClient, through the same recursive resolvers as <see cref="DnsClientResolver"/>.</summary>
public sealed class DnsClientDelegationResolver : IDelegationResolver
{
    private readonly LookupClient _client;

    /// <param name="nameServers">The recursive resolvers; empty means the system's.</param>
    public DnsClientDelegationResolver(IReadOnlyList<IPEndPoint> nameServers, TimeSpan timeout)
    {
        var options = nameServers.Count > 0
            ? new LookupClientOptions(nameServers.Select(e => new NameServer(e)).ToArray())
            : new LookupClientOptions();
        options.UseCache = false;
        options.UseTcpFallback = true;
        options.ThrowDnsErrors = false;
        options.ContinueOnDnsError = false;
        options.ContinueOnEmptyResponse = false;
        options.Timeout = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, timeout.Ticks / 3));
        options.Retries = 2;
        _client = new LookupClient(options);
    }

    public async Task<DnsAnswer<string>> GetNameServersAsync(string name, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, QueryType.NS, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException e)
        {
            return DnsAnswer<string>.Fail(e.Code == DnsResponseCode.ConnectionTimeout ? "the DNS server did not answer in time" : e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DnsAnswer<string>.Fail("the DNS server did not answer in time");
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or TimeoutException)
        {
            return DnsAnswer<string>.Fail(e.Message);
        }
        var code = response.Header.ResponseCode;
        if (code == DnsHeaderResponseCode.NotExistentDomain)
            return DnsAnswer<string>.NxDomain();
        if (code != DnsHeaderResponseCode.NoError)
            return DnsAnswer<string>.Fail($"the DNS server answered {code.ToString().ToUpperInvariant()}");
        // Only NS records owned by the name itself: a referral or an alias is not this name's delegation.
        var owner = Normalize(name);
        var servers = response.Answers.NsRecords()
            .Where(ns => Normalize(ns.DomainName.Value) == owner)
            .Select(ns => Normalize(ns.NSDName.Value)).Where(n => n.Length > 0)
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return servers.Count > 0 ? new DnsAnswer<string>(DnsOutcome.Found, servers) : DnsAnswer<string>.None();
    }

    private static string Normalize(string name) => name.TrimEnd('.').ToLowerInvariant();
}
