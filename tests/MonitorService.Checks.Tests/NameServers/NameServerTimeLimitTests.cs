using System.Diagnostics;
using MonitorService.Checks.Certificates;
using MonitorService.Checks.Dns;
using MonitorService.Checks.Model;
using MonitorService.Checks.NameServers;
using MonitorService.Checks.Net;
using MonitorService.Checks.Policy;
using MonitorService.Checks.Tests.Integration;

namespace MonitorService.Checks.Tests.NameServers;

/// <summary>The name-server survey's own time limit: a survey that never finishes costs its comparison, not the report.</summary>
public class NameServerTimeLimitTests
{
    /// <summary>A delegation lookup that ignores every time limit but the caller's cancellation: the worst a library bug could do.</summary>
    private sealed class EndlessDelegation : IDelegationResolver
    {
        public async Task<DnsAnswer<string>> GetNameServersAsync(string name, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            throw new InvalidOperationException("unreachable");
        }
    }

    [Fact]
    public async Task A_survey_that_never_ends_is_cut_off_before_the_checks_deadline_and_the_rest_of_the_report_stands()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        var options = env.Options(o => { o.TimeoutSeconds = 1; o.SkipSmtp = true; });
        var dns = new DnsClientResolver(options.ResolverEndPoints(), options.Timeout);
        var guard = new AddressGuard(options.AllowPrivateAddresses);
        var fetcher = new PolicyFetcher(new CertificateInspector(TrustAnchors.FromPemFile(options.CaFile!), TimeProvider.System),
            new PolicyFetcherSettings(options.PolicyPort, options.Timeout));
        var survey = new NameServerSurvey(new EndlessDelegation(), dns, new DnsClientAuthoritativeQuery(options.Timeout), guard,
            new NameServerSurveySettings(8, 2, 53, 10));
        var checker = new DomainChecker(dns, guard, fetcher, null, options, TimeProvider.System, survey);

        var clock = Stopwatch.StartNew();
        var report = await checker.CheckAsync(CheckEnvironment.Domain);

        report.Lacks(FindingCodes.CheckTimeout);
        Assert.Contains("did not all answer within 6 s", report.Single(FindingCodes.NameServerLookupFailed).Message, StringComparison.Ordinal);
        Assert.Equal("20260101", report.Txt.Id);
        Assert.NotNull(report.NameServers!.Error);
        Assert.True(clock.Elapsed < checker.CheckDeadline, $"took {clock.Elapsed}");
    }
}
