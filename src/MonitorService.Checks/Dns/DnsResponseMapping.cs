using System.Net;
using DnsClient;

namespace MonitorService.Checks.Dns;

/// <summary>
/// How a DNS response becomes a <see cref="DnsAnswer{T}"/>, whichever client read it off the wire (DnsClient, or the
/// DNSSEC validator's own client when one fetch serves both the answer and its validation): one set of rules, so the
/// two paths cannot drift apart.
/// </summary>
internal static class DnsResponseMapping
{
    /// <summary>The answer from a response's RCODE, the end of its CNAME chain and the records of the asked type.</summary>
    public static DnsAnswer<T> FromResponse<T>(int rcode, string? canonicalName, Func<IReadOnlyList<T>> records)
    {
        var code = (DnsHeaderResponseCode)rcode;
        if (code == DnsHeaderResponseCode.NotExistentDomain)
            // After an alias the NXDOMAIN is about its target (RFC 6604): the name itself exists then.
            return canonicalName is null ? DnsAnswer<T>.NxDomain() : DnsAnswer<T>.None();
        if (code != DnsHeaderResponseCode.NoError)
            return DnsAnswer<T>.Fail($"the DNS server answered {DescribeCode(code)}");
        var list = records();
        return list.Count > 0 ? new DnsAnswer<T>(DnsOutcome.Found, list, canonicalName) : DnsAnswer<T>.None(canonicalName);
    }

    /// <summary>Follows the CNAME records (owner, target) of an answer from the queried name to the end of the chain; null when there is none.</summary>
    public static string? CanonicalNameOf(string queriedName, IEnumerable<(string Owner, string Target)> cnames)
    {
        var aliases = cnames
            .GroupBy(c => Normalize(c.Owner))
            .ToDictionary(g => g.Key, g => Normalize(g.First().Target));
        var current = Normalize(queriedName);
        var seen = new HashSet<string>();
        while (aliases.TryGetValue(current, out var target) && seen.Add(current))
            current = target;
        return current == Normalize(queriedName) ? null : current;
    }

    /// <summary>MX records by preference, then host: a stable order keeps reports (and stored snapshots) stable.</summary>
    public static IEnumerable<MxRecordData> Ordered(IEnumerable<MxRecordData> records) =>
        records.OrderBy(mx => mx.Preference).ThenBy(mx => mx.Host, StringComparer.OrdinalIgnoreCase);

    /// <summary>The A and AAAA answers of one name as one answer of addresses.</summary>
    public static DnsAnswer<IPAddress> CombineAddresses(DnsAnswer<IPAddress> v4, DnsAnswer<IPAddress> v6)
    {
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

    private static string DescribeCode(DnsHeaderResponseCode code) => code switch
    {
        DnsHeaderResponseCode.ServerFailure => "SERVFAIL",
        DnsHeaderResponseCode.Refused => "REFUSED",
        DnsHeaderResponseCode.FormatError => "FORMERR",
        DnsHeaderResponseCode.NotImplemented => "NOTIMP",
        _ => code.ToString(),
    };

    private static string Normalize(string name) => name.TrimEnd('.').ToLowerInvariant();
}
