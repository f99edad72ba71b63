using MonitorService.Checks;
using MonitorService.Checks.Certificates;
using MonitorService.Checks.Dns;
using MonitorService.Checks.Model;
using MonitorService.Checks.Net;
using MonitorService.Checks.Policy;
using MonitorService.Checks.Smtp;

namespace MonitorService.Testing.Dane;

/// <summary>
/// Runs a check in a <see cref="CheckEnvironment"/> the way <see cref="DomainChecker.Create"/> wires it, but with
/// <see cref="DnssecMarkingResolver"/> over the real resolver, so chosen answers count as DNSSEC-secure (TEST ONLY).
/// </summary>
public static class DaneChecks
{
    /// <param name="marks">Lower-case names without a trailing dot, and the status their answers get.</param>
    public static Task<CheckReport> CheckAsync(CheckEnvironment environment, IReadOnlyDictionary<string, DnssecStatus> marks,
        Action<CheckOptions>? adjust = null, string domain = CheckEnvironment.Domain, TimeProvider? time = null) =>
        CreateChecker(environment, marks, adjust, time).CheckAsync(domain);

    /// <summary>The checker itself, for composing it into a monitor (a runner of the monitoring pipeline) in tests.</summary>
    public static DomainChecker CreateChecker(CheckEnvironment environment, IReadOnlyDictionary<string, DnssecStatus> marks,
        Action<CheckOptions>? adjust = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var options = environment.Options(adjust);
        var clock = time ?? TimeProvider.System;
        var inspector = new CertificateInspector(TrustAnchors.FromPemFile(options.CaFile!), clock);
        var dns = new DnssecMarkingResolver(new DnsClientResolver(options.ResolverEndPoints(), options.Timeout), marks);
        var fetcher = new PolicyFetcher(inspector, new PolicyFetcherSettings(options.PolicyPort, options.Timeout));
        var probe = options.SkipSmtp ? null : new StartTlsProbe(inspector, new StartTlsProbeSettings(options.SmtpPort, options.Timeout, options.HeloName));
        return new DomainChecker(dns, new AddressGuard(options.AllowPrivateAddresses), fetcher, probe, options, clock);
    }

    /// <summary>Every name DANE depends on for <paramref name="mxHosts"/> of <paramref name="domain"/> marked <paramref name="status"/>.</summary>
    public static Dictionary<string, DnssecStatus> Marks(DnssecStatus status, string domain, params string[] mxHosts)
    {
        var marks = new Dictionary<string, DnssecStatus>(StringComparer.Ordinal) { [domain] = status };
        foreach (var host in mxHosts)
        {
            marks[host] = status;
            marks[$"_25._tcp.{host}"] = status;
        }

        return marks;
    }
}
