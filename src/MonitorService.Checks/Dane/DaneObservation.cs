using MonitorService.Checks.Dns;

namespace MonitorService.Checks.Dane;

/// <summary>The TLSA lookup of one MX host: the TLSA base domain it was made for (RFC 7672 §2.2.3) and the answer.</summary>
/// <param name="MxHost">The MX host name as the MX record names it.</param>
/// <param name="BaseDomain">The TLSA base domain: the MX host, or its canonical name when that had the records.</param>
public sealed record DaneObservation(string MxHost, string BaseDomain, DnsAnswer<TlsaRecordData> Tlsa)
{
    public string TlsaName => TlsaNameOf(BaseDomain);

    /// <summary>Where TLSA records for SMTP on port 25 live (RFC 7672 §2.2.3, RFC 6698 §3).</summary>
    public static string TlsaNameOf(string host) => $"_25._tcp.{host.TrimEnd('.')}";
}
