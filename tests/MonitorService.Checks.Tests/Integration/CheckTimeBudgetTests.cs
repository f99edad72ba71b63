using System.Net;
using MonitorService.Checks.Certificates;
using MonitorService.Checks.Dns;
using MonitorService.Checks.Model;
using MonitorService.Checks.Net;
using MonitorService.Checks.Policy;
using MonitorService.Checks.Smtp;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Checks.Tests.Integration;

/// <summary>
/// The whole check has a deadline (8x the operation timeout), and running into it throws the whole report away
/// (CHECK_TIMEOUT). A hostile domain must not be able to get there by making its MX host slow to look up and then
/// slow to answer: a probe is started only when it can finish before the deadline.
/// </summary>
public class CheckTimeBudgetTests
{
    [Fact]
    public async Task A_probe_that_could_not_finish_before_the_check_deadline_is_not_started_and_the_rest_is_reported()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Smtp.SetBehavior(Mx2Ip, SmtpBehavior.NoGreeting); // holds a probe for its whole dialogue limit (3 s)
        var options = env.Options(o => o.TimeoutSeconds = 1);  // check deadline 8 s
        var slowDns = new SlowAddressLookup(new DnsClientResolver(options.ResolverEndPoints(), options.Timeout), Mx2, TimeSpan.FromSeconds(5.5));
        var checker = Checker(options, slowDns);

        var report = await checker.CheckAsync(Domain);

        report.Lacks(FindingCodes.CheckTimeout);
        var finding = report.Single(FindingCodes.CheckLimited, Mx2);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("time ran out", finding.Message, StringComparison.Ordinal);
        Assert.Null(report.Mx.Single(m => m.Host == Mx2).Tls);
        Assert.False(env.Smtp.WasContacted(Mx2Ip));
        Assert.True(report.Mx.Single(m => m.Host == Mx1).Tls?.Starttls);
    }

    private static DomainChecker Checker(CheckOptions options, IDnsResolver dns)
    {
        var inspector = new CertificateInspector(TrustAnchors.FromPemFile(options.CaFile!), TimeProvider.System);
        return new DomainChecker(dns, new AddressGuard(options.AllowPrivateAddresses),
            new PolicyFetcher(inspector, new PolicyFetcherSettings(options.PolicyPort, options.Timeout)),
            new StartTlsProbe(inspector, new StartTlsProbeSettings(options.SmtpPort, options.Timeout, options.HeloName)),
            options, TimeProvider.System);
    }

    /// <summary>The real resolver, but the address lookup of one name takes <paramref name="delay"/> longer.</summary>
    private sealed class SlowAddressLookup(IDnsResolver inner, string slowName, TimeSpan delay) : IDnsResolver
    {
        public Task<DnsAnswer<string>> GetTxtAsync(string name, CancellationToken cancellationToken) => inner.GetTxtAsync(name, cancellationToken);

        public Task<DnsAnswer<MxRecordData>> GetMxAsync(string name, CancellationToken cancellationToken) => inner.GetMxAsync(name, cancellationToken);

        public Task<DnsAnswer<TlsaRecordData>> GetTlsaAsync(string name, CancellationToken cancellationToken) => inner.GetTlsaAsync(name, cancellationToken);

        public async Task<DnsAnswer<IPAddress>> GetAddressesAsync(string name, CancellationToken cancellationToken)
        {
            if (string.Equals(name, slowName, StringComparison.OrdinalIgnoreCase))
                await Task.Delay(delay, cancellationToken);
            return await inner.GetAddressesAsync(name, cancellationToken);
        }
    }
}
