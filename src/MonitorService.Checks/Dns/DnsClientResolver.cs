using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace MonitorService.Checks.Dns;

/// <summary><see cref="IDnsResolver"/> on DnsClient: no cache (a monitor must see changes), TCP fallback on truncation.</summary>
public sealed class DnsClientResolver : IDnsResolver
{
    private readonly LookupClient _client;

    /// <param name="nameServers">Servers to ask; empty means the system's resolvers.</param>
    public DnsClientResolver(IReadOnlyList<IPEndPoint> nameServers, TimeSpan timeout)
    {
        var options = nameServers.Count > 0
            ? new LookupClientOptions(nameServers.Select(e => new NameServer(e)).ToArray())
            : new LookupClientOptions();
        options.UseCache = false;
        options.UseTcpFallback = true;
        options.ThrowDnsErrors = false;
        options.ContinueOnDnsError = false;
        options.ContinueOnEmptyResponse = false;
        // The whole lookup stays within the operation's time limit, but as three tries: one lost UDP datagram
        // (common under load) then costs a third of it, not all of it.
        options.Timeout = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, timeout.Ticks / 3));
        options.Retries = 2;
        _client = new LookupClient(options);
    }

    public async Task<DnsAnswer<string>> GetTxtAsync(string name, CancellationToken cancellationToken)
    {
        var query = await QueryAsync(name, QueryType.TXT, cancellationToken).ConfigureAwait(false);
        return query.Map(r => r.Answers.TxtRecords().Select(JoinStrings));
    }

    public async Task<DnsAnswer<MxRecordData>> GetMxAsync(string name, CancellationToken cancellationToken)
    {
        var query = await QueryAsync(name, QueryType.MX, cancellationToken).ConfigureAwait(false);
        return query.Map(r => DnsResponseMapping.Ordered(r.Answers.MxRecords()
            .Select(mx => new MxRecordData(mx.Preference, mx.Exchange.Value.TrimEnd('.')))));
    }

    public async Task<DnsAnswer<IPAddress>> GetAddressesAsync(string name, CancellationToken cancellationToken)
    {
        var v4Task = QueryAsync(name, QueryType.A, cancellationToken);
        var v6Task = QueryAsync(name, QueryType.AAAA, cancellationToken);
        var v4 = (await v4Task.ConfigureAwait(false)).Map(r => r.Answers.ARecords().Select(a => a.Address));
        var v6 = (await v6Task.ConfigureAwait(false)).Map(r => r.Answers.AaaaRecords().Select(a => a.Address));
        return DnsResponseMapping.CombineAddresses(v4, v6);
    }

    public async Task<DnsAnswer<TlsaRecordData>> GetTlsaAsync(string name, CancellationToken cancellationToken)
    {
        var query = await QueryAsync(name, QueryType.TLSA, cancellationToken).ConfigureAwait(false);
        return query.Map(r => r.Answers.OfType<TlsaRecord>()
            .Select(t => new TlsaRecordData((byte)t.CertificateUsage, (byte)t.Selector, (byte)t.MatchingType, t.CertificateAssociationData.ToArray())));
    }

    private async Task<RawQuery> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _client.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            return new RawQuery(name, type, response, null);
        }
        catch (DnsResponseException e)
        {
            return new RawQuery(name, type, null, Describe(e.Code, e.Message));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new RawQuery(name, type, null, "the DNS server did not answer in time");
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or TimeoutException)
        {
            return new RawQuery(name, type, null, e.Message);
        }
    }

    private static string Describe(DnsResponseCode code, string message) => code switch
    {
        DnsResponseCode.ConnectionTimeout => "the DNS server did not answer in time",
        DnsResponseCode.ServerFailure => "the DNS server answered SERVFAIL",
        DnsResponseCode.Refused => "the DNS server refused the query (REFUSED)",
        _ => message,
    };

    /// <summary>RFC 8461 §3.1 / RFC 8460 §3: the strings of one TXT record are concatenated without separators.</summary>
    private static string JoinStrings(TxtRecord record) => string.Concat(record.Text);

    private sealed record RawQuery(string Name, QueryType Type, IDnsQueryResponse? Response, string? Error)
    {
        public DnsAnswer<T> Map<T>(Func<IDnsQueryResponse, IEnumerable<T>> select)
        {
            if (Response is null)
                return DnsAnswer<T>.Fail(Error ?? "no answer");
            var cnames = Response.Answers.CnameRecords().Select(c => (c.DomainName.Value, c.CanonicalName.Value));
            return DnsResponseMapping.FromResponse<T>((int)Response.Header.ResponseCode, DnsResponseMapping.CanonicalNameOf(Name, cnames), () => select(Response).ToList());
        }
    }
}
