using System.Net;

namespace MonitorService.Checks.Dns;

/// <summary>The DNS questions the engine asks. Ours, so that the engine does not depend on a DNS library's types.</summary>
public interface IDnsResolver
{
    /// <summary>TXT records at <paramref name="name"/>, each record's strings joined without spaces (RFC 8461 §3.1).</summary>
    Task<DnsAnswer<string>> GetTxtAsync(string name, CancellationToken cancellationToken);

    Task<DnsAnswer<MxRecordData>> GetMxAsync(string name, CancellationToken cancellationToken);

    /// <summary>A and AAAA records together, following CNAMEs.</summary>
    Task<DnsAnswer<IPAddress>> GetAddressesAsync(string name, CancellationToken cancellationToken);

    /// <summary>TLSA records at <paramref name="name"/> (for DANE SMTP: <c>_25._tcp.&lt;mx host&gt;</c>, RFC 7672 §2.2).</summary>
    Task<DnsAnswer<TlsaRecordData>> GetTlsaAsync(string name, CancellationToken cancellationToken);
}
