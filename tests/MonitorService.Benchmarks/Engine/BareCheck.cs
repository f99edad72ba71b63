using System.Net;
using MonitorService.Testing;

namespace MonitorService.Benchmarks.Engine;

/// <summary>
/// The physical limit of a check: the same network work as <c>DomainChecker</c> for a synthetic domain (9 DNS
/// questions, one HTTPS GET, STARTTLS on both MX hosts), in the same order and concurrency, without any parsing,
/// inspection or analysis. Without <c>startTls</c> it stops where <c>check --no-smtp</c> does: the MX
/// hosts' addresses are still asked, no SMTP connection is made.
/// </summary>
public sealed class BareCheck(CheckEnvironment env, bool startTls = true)
{
    public async Task CheckAsync(string domain, CancellationToken ct)
    {
        var dns = env.Dns.EndPoint;
        var policyHost = $"mta-sts.{domain}";
        var txt = RawDns.QueryAsync(dns, $"_mta-sts.{domain}", RawDns.Txt, ct);
        var tlsRpt = RawDns.QueryAsync(dns, $"_smtp._tls.{domain}", RawDns.Txt, ct);
        var policy = PolicyAsync(dns, policyHost, ct);
        var mx = MxAsync(dns, domain, ct);
        await Task.WhenAll(txt, tlsRpt, policy, mx);
    }

    private async Task PolicyAsync(IPEndPoint dns, string policyHost, CancellationToken ct)
    {
        await AddressesAsync(dns, policyHost, ct);
        await RawTls.HttpsGetAsync(CheckEnvironment.PolicyIp, env.Https.Port, policyHost, ct);
    }

    private async Task MxAsync(IPEndPoint dns, string domain, CancellationToken ct)
    {
        await RawDns.QueryAsync(dns, domain, RawDns.Mx, ct);
        await Task.WhenAll(
            MxHostAsync(dns, CheckEnvironment.Mx1, CheckEnvironment.Mx1Ip, ct),
            MxHostAsync(dns, CheckEnvironment.Mx2, CheckEnvironment.Mx2Ip, ct));
    }

    private async Task MxHostAsync(IPEndPoint dns, string host, IPAddress address, CancellationToken ct)
    {
        await AddressesAsync(dns, host, ct);
        if (startTls)
            await RawTls.StartTlsAsync(address, env.Smtp.Port, host, ct);
    }

    private static Task AddressesAsync(IPEndPoint dns, string host, CancellationToken ct) =>
        Task.WhenAll(RawDns.QueryAsync(dns, host, RawDns.A, ct), RawDns.QueryAsync(dns, host, RawDns.Aaaa, ct));
}
