using MonitorService.Checks.Model;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Checks.Tests.Integration;

/// <summary>A domain that does not exist at all is one clear problem, not a list of missing records.</summary>
public class DomainExistenceTests
{
    [Fact]
    public async Task A_domain_that_does_not_exist_is_reported_as_such_in_one_finding()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();

        var report = await env.CheckAsync(domain: "no-such-domain.test");

        var finding = Assert.Single(report.Findings);
        Assert.Equal((FindingCodes.DomainNxDomain, Severity.Error, "no-such-domain.test"), (finding.Code, finding.Severity, finding.Subject));
        Assert.Contains("does not exist", finding.Message, StringComparison.Ordinal);
        Assert.NotNull(finding.Fix);
        Assert.Equal("error", report.Status);
    }

    [Fact]
    public async Task A_domain_that_exists_without_records_of_its_own_is_not_nxdomain()
    {
        await using var env = await StartAsync();
        // Only a name below the domain: the domain is an empty non-terminal, so its MX lookup is NODATA.
        env.Zone.AddTxt($"_smtp._tls.{Domain}", "v=TLSRPTv1; rua=mailto:tlsrpt@example.test");

        var report = await env.CheckAsync();

        report.Lacks(FindingCodes.DomainNxDomain);
        report.Single(FindingCodes.MxMissing, Domain);
        report.Single(FindingCodes.MtaStsTxtMissing);
    }
}
