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
        return query.Map(r => r.Answers.MxRecords()
            .Select(mx => new MxRecordData(mx.Preference, mx.Exchange.Value.TrimEnd('.')))
            .OrderBy(mx => mx.Preference).ThenBy(mx => mx.Host, StringComparer.OrdinalIgnoreCase));
    }

    public async Task<DnsAnswer<IPAddress>> GetAddressesAsync(string name, CancellationToken cancellationToken)
    {
        var v4Task = QueryAsync(name, QueryType.A, cancellationToken);
        var v6Task = QueryAsync(name, QueryType.AAAA, cancellationToken);
        var v4 = (await v4Task.ConfigureAwait(false)).Map(r => r.Answers.ARecords().Select(a => a.Address));
        var v6 = (await v6Task.ConfigureAwait(false)).Map(r => r.Answers.AaaaRecords().Select(a => a.Address));

        // Sorted: DNS servers rotate record order, and a stable order keeps reports (and stored snapshots) stable.
        var addresses = v4.Records.OrderBy(a => a.ToString(), StringComparer.Ordinal)
            .Concat(v6.Records.OrderBy(a => a.ToString(), StringComparer.Ordinal)).ToList();
        var canonical = v4.CanonicalName ?? v6.CanonicalName;
        if (addresses.Count > 0)
            return new DnsAnswer<IPAddress>(DnsOutcome.Found, addresses, canonical);
        // Only when neither family failed do we know the host has no address.
        if (v4.Outcome == DnsOutcome.Failed)
            return v4;
        if (v6.Outcome == DnsOutcome.Failed)
            return v6;
        return v4.NoSuchName && v6.NoSuchName ? DnsAnswer<IPAddress>.NxDomain() : DnsAnswer<IPAddress>.None(canonical);
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
            var code = Response.Header.ResponseCode;
            if (code == DnsHeaderResponseCode.NotExistentDomain)
                // After an alias the NXDOMAIN is about its target (RFC 6604): the name itself exists then.
                return CanonicalNameOf(Response) is null ? DnsAnswer<T>.NxDomain() : DnsAnswer<T>.None();
            if (code != DnsHeaderResponseCode.NoError)
                return DnsAnswer<T>.Fail($"the DNS server answered {DescribeCode(code)}");
            var canonical = CanonicalNameOf(Response);
            var records = select(Response).ToList();
            return records.Count > 0 ? new DnsAnswer<T>(DnsOutcome.Found, records, canonical) : DnsAnswer<T>.None(canonical);
        }

        private static string DescribeCode(DnsHeaderResponseCode code) => code switch
        {
            DnsHeaderResponseCode.ServerFailure => "SERVFAIL",
            DnsHeaderResponseCode.Refused => "REFUSED",
            DnsHeaderResponseCode.FormatError => "FORMERR",
            DnsHeaderResponseCode.NotImplemented => "NOTIMP",
            _ => code.ToString(),
        };

        /// <summary>Follows the CNAME records in the answer from the queried name to the end of the chain.</summary>
        private string? CanonicalNameOf(IDnsQueryResponse response)
        {
            var aliases = response.Answers.CnameRecords()
                .GroupBy(c => Normalize(c.DomainName.Value))
                .ToDictionary(g => g.Key, g => Normalize(g.First().CanonicalName.Value));
            var current = Normalize(Name);
            var seen = new HashSet<string>();
            while (aliases.TryGetValue(current, out var target) && seen.Add(current))
                current = target;
            return current == Normalize(Name) ? null : current;
        }

        private static string Normalize(string name) => name.TrimEnd('.').ToLowerInvariant();
    }
}
