using System.Net;

namespace MonitorService.Checks;

/// <summary>
/// Settings of the check engine. The same names serve the <c>check</c> command's flags and the service's
/// configuration section <c>Checks</c> (<c>Checks__PolicyPort</c>, ...).
/// </summary>
public sealed class CheckOptions
{
    public const string SectionName = "Checks";

    /// <summary>DNS servers as <c>IP</c> or <c>IP:PORT</c> (<c>[IPv6]:PORT</c>); empty means the system's resolvers.</summary>
    public List<string> Resolvers { get; set; } = [];

    /// <summary>PEM file with extra trusted roots; the system's roots stay trusted.</summary>
    public string? CaFile { get; set; }

    public int PolicyPort { get; set; } = 443;

    public int SmtpPort { get; set; } = 25;

    /// <summary>Permit connections to loopback, private and link-local addresses (for tests and closed networks).</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>Skip the STARTTLS probes of the MX hosts.</summary>
    public bool SkipSmtp { get; set; }

    /// <summary>Time limit of each network operation, in seconds.</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// STARTTLS probes at once against one MX server address, across all checks of this process: shared providers
    /// serve thousands of domains from the same servers.
    /// </summary>
    public int MaxProbesPerMxHost { get; set; } = 4;

    /// <summary>
    /// MX hosts one check looks up and probes, the most preferred first; the rest are named in a finding. A domain
    /// may publish hundreds: without a cap one check becomes hundreds of lookups and connections.
    /// </summary>
    public int MaxMxHosts { get; set; } = 10;

    /// <summary>Addresses tried per MX host (until one answers), and policy host addresses fetched from, per check.</summary>
    public int MaxAddressesPerHost { get; set; } = 4;

    /// <summary>
    /// Authoritative name servers one check asks directly (name-server consistency), across the domain's zone and the
    /// zones of <c>mta-sts</c> and <c>_smtp._tls</c> where they are cut off; the rest are named in a finding. A zone may
    /// list 50 NS records: without a cap one check becomes hundreds of queries.
    /// </summary>
    public int MaxNameServers { get; set; } = 8;

    /// <summary>Addresses asked per authoritative name server (IPv4 first).</summary>
    public int MaxAddressesPerNameServer { get; set; } = 2;

    /// <summary>
    /// The port authoritative name servers are asked on. Always 53 on the internet; tests run their servers on loopback
    /// addresses and a free port.
    /// </summary>
    public int AuthoritativeDnsPort { get; set; } = 53;

    /// <summary>The name announced in EHLO by the STARTTLS probes.</summary>
    public string HeloName { get; set; } = "monitor.invalid";

    /// <summary>Validate DNSSEC ourselves on every answer (<see cref="Dns.DnsAnswer{T}.Security"/>); off: every answer is NotValidated.</summary>
    public bool DnssecValidation { get; set; } = true;

    /// <summary>A file of DS or DNSKEY lines (presentation format) to trust instead of the IANA root keys: tests, closed networks.</summary>
    public string? DnssecTrustAnchorFile { get; set; }

    /// <summary>Zones whose validated keys (or proven lack of them) are kept, each within its TTL, across all checks of this process.</summary>
    public int DnssecCacheEntries { get; set; } = 10_000;

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    /// <summary>Every problem with these settings, in words; empty when they are usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        foreach (var resolver in Resolvers)
        {
            if (!TryParseEndPoint(resolver, out _))
                errors.Add($"Resolver '{resolver}' is not an IP address or IP:PORT.");
        }
        if (CaFile is not null && !File.Exists(CaFile))
            errors.Add($"CA file '{CaFile}' does not exist.");
        if (PolicyPort is < 1 or > 65535)
            errors.Add($"Policy port {PolicyPort} is not between 1 and 65535.");
        if (SmtpPort is < 1 or > 65535)
            errors.Add($"SMTP port {SmtpPort} is not between 1 and 65535.");
        if (TimeoutSeconds is < 1 or > 300)
            errors.Add($"Timeout {TimeoutSeconds} s is not between 1 and 300 seconds.");
        if (MaxProbesPerMxHost is < 1 or > 100)
            errors.Add($"MaxProbesPerMxHost {MaxProbesPerMxHost} is not between 1 and 100.");
        if (MaxMxHosts is < 1 or > 50)
            errors.Add($"MaxMxHosts {MaxMxHosts} is not between 1 and 50.");
        if (MaxAddressesPerHost is < 1 or > 16)
            errors.Add($"MaxAddressesPerHost {MaxAddressesPerHost} is not between 1 and 16.");
        if (MaxNameServers is < 1 or > 20)
            errors.Add($"MaxNameServers {MaxNameServers} is not between 1 and 20.");
        if (MaxAddressesPerNameServer is < 1 or > 4)
            errors.Add($"MaxAddressesPerNameServer {MaxAddressesPerNameServer} is not between 1 and 4.");
        if (AuthoritativeDnsPort is < 1 or > 65535)
            errors.Add($"Authoritative DNS port {AuthoritativeDnsPort} is not between 1 and 65535.");
        if (DnssecTrustAnchorFile is not null)
        {
            if (!File.Exists(DnssecTrustAnchorFile))
                errors.Add($"DNSSEC trust anchor file '{DnssecTrustAnchorFile}' does not exist.");
            else
            {
                try
                {
                    Dnssec.DnssecTrustAnchors.FromFile(DnssecTrustAnchorFile);
                }
                catch (FormatException e)
                {
                    errors.Add(e.Message);
                }
            }
        }
        if (DnssecCacheEntries is < 100 or > 1_000_000)
            errors.Add($"DnssecCacheEntries {DnssecCacheEntries} is not between 100 and 1000000.");
        if (string.IsNullOrWhiteSpace(HeloName) || HeloName.Any(c => c <= ' ' || c > '~'))
            errors.Add($"HELO name '{HeloName}' must be a host name.");
        return errors;
    }

    public IReadOnlyList<IPEndPoint> ResolverEndPoints() =>
        Resolvers.Select(r => TryParseEndPoint(r, out var e) ? e! : throw new FormatException($"Resolver '{r}' is not an IP address or IP:PORT.")).ToList();

    public static bool TryParseEndPoint(string text, out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (IPAddress.TryParse(text, out var bare))
        {
            endPoint = new IPEndPoint(bare, 53);
            return true;
        }
        if (IPEndPoint.TryParse(text, out var withPort) && withPort.Port != 0)
        {
            endPoint = withPort;
            return true;
        }
        return false;
    }
}
