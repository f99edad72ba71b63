using System.Net;
using MonitorService.Checks.Dns;

namespace MonitorService.Checks.Dane;

/// <summary>
/// Finds the TLSA records that apply to one MX host the way a DANE sender does (RFC 7672 §2.2.3): when the host's
/// address answer is secure and went through a CNAME, the canonical name is the TLSA base domain tried first, and the
/// original name is tried when the canonical one has no records. We look the records up even where senders would
/// not (insecure answers), to say that they are ignored.
/// </summary>
public static class DaneLookup
{
    public static async Task<DaneObservation> LookupAsync(IDnsResolver dns, string mxHost, DnsAnswer<IPAddress> addresses, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dns);
        ArgumentNullException.ThrowIfNull(addresses);
        var host = mxHost.TrimEnd('.');
        if (addresses.CanonicalName is { } canonical && addresses.Security == DnssecStatus.Secure
            && !string.Equals(canonical.TrimEnd('.'), host, StringComparison.OrdinalIgnoreCase))
        {
            var expanded = await dns.GetTlsaAsync(DaneObservation.TlsaNameOf(canonical), ct).ConfigureAwait(false);
            // A failed lookup at the expanded name is not a denial: a sender defers there rather than fall back.
            if (expanded.Outcome != DnsOutcome.NoRecord)
                return new DaneObservation(host, canonical.TrimEnd('.'), expanded);
        }
        var original = await dns.GetTlsaAsync(DaneObservation.TlsaNameOf(host), ct).ConfigureAwait(false);
        return new DaneObservation(host, host, original);
    }
}
