using System.Globalization;
using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace MonitorService.Checks.NameServers;

/// <summary>
/// <see cref="IAuthoritativeQuery"/> on DnsClient: RD=0, no cache, TCP fallback on truncation to the same server, and
/// only ever the one server asked (DnsClient is given it per query; it never falls back to the system's resolvers).
/// </summary>
public sealed class DnsClientAuthoritativeQuery : IAuthoritativeQuery
{
    private readonly LookupClient _client;
    private readonly TimeSpan _limit;

    /// <param name="limit">The time limit of one question, retry included.</param>
    public DnsClientAuthoritativeQuery(TimeSpan limit)
    {
        _limit = limit;
        // The configured server is a placeholder: every query names its own server (QueryServerAsync).
        var options = new LookupClientOptions(new NameServer(IPAddress.Loopback, 53))
        {
            AutoResolveNameServers = false,
            Recursion = false,
            UseCache = false,
            UseTcpFallback = true,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
            // Two tries of half the limit each: one lost UDP datagram must not make a healthy server look lame.
            Timeout = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(250).Ticks, limit.Ticks / 2)),
            Retries = 1,
        };
        _client = new LookupClient(options);
    }

    public async Task<AuthoritativeAnswer> AskAsync(IPEndPoint server, AuthoritativeQuestion question, CancellationToken cancellationToken)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryServerAsync([new NameServer(server)], question.Name, TypeOf(question.Type), QueryClass.IN, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (DnsResponseException e) when (e.Code == DnsResponseCode.ConnectionTimeout)
        {
            return AuthoritativeAnswer.Problem(AuthoritativeStatus.NoAnswer, $"did not answer within {_limit.TotalSeconds:0.#} s");
        }
        catch (DnsResponseException e)
        {
            return AuthoritativeAnswer.Problem(AuthoritativeStatus.Failed, e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return AuthoritativeAnswer.Problem(AuthoritativeStatus.NoAnswer, $"did not answer within {_limit.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or TimeoutException)
        {
            return AuthoritativeAnswer.Problem(AuthoritativeStatus.NoAnswer, e.Message);
        }
        return Map(question, response);
    }

    private static AuthoritativeAnswer Map(AuthoritativeQuestion question, IDnsQueryResponse response)
    {
        var code = response.Header.ResponseCode;
        if (code == DnsHeaderResponseCode.Refused)
            return AuthoritativeAnswer.Problem(AuthoritativeStatus.Refused, "refused the query (REFUSED)");
        if (code is not (DnsHeaderResponseCode.NoError or DnsHeaderResponseCode.NotExistentDomain))
            return AuthoritativeAnswer.Problem(AuthoritativeStatus.Failed, $"answered {code.ToString().ToUpperInvariant()}");
        if (!response.Header.HasAuthorityAnswer)
            return AuthoritativeAnswer.Problem(AuthoritativeStatus.NotAuthoritative, "answered without the AA bit (not authoritative)");
        var records = response.Answers.Select(r => Format(question.Type, r)).OfType<string>()
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new AuthoritativeAnswer(AuthoritativeStatus.Answered, records, NoSuchName: code == DnsHeaderResponseCode.NotExistentDomain);
    }

    /// <summary>The comparable form of one answer record, or null for a record of another type.</summary>
    private static string? Format(AuthoritativeRecordType type, DnsResourceRecord record) => (type, record) switch
    {
        (_, CNameRecord c) => $"CNAME {Name(c.CanonicalName.Value)}",
        (AuthoritativeRecordType.Txt, TxtRecord t) => string.Concat(t.Text),
        (AuthoritativeRecordType.Mx, MxRecord m) => $"{m.Preference.ToString(CultureInfo.InvariantCulture)} {Name(m.Exchange.Value)}",
        (AuthoritativeRecordType.A, ARecord a) => a.Address.ToString(),
        (AuthoritativeRecordType.Aaaa, AaaaRecord a) => a.Address.ToString(),
        (AuthoritativeRecordType.Soa, SoaRecord s) => s.Serial.ToString(CultureInfo.InvariantCulture),
        (AuthoritativeRecordType.Tlsa, TlsaRecord t) =>
            $"{(byte)t.CertificateUsage} {(byte)t.Selector} {(byte)t.MatchingType} {Convert.ToHexStringLower(t.CertificateAssociationData.ToArray())}",
        _ => null,
    };

    private static string Name(string name) => name.TrimEnd('.').ToLowerInvariant();

    private static QueryType TypeOf(AuthoritativeRecordType type) => type switch
    {
        AuthoritativeRecordType.Soa => QueryType.SOA,
        AuthoritativeRecordType.Txt => QueryType.TXT,
        AuthoritativeRecordType.Mx => QueryType.MX,
        AuthoritativeRecordType.A => QueryType.A,
        AuthoritativeRecordType.Aaaa => QueryType.AAAA,
        AuthoritativeRecordType.Tlsa => QueryType.TLSA,
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
