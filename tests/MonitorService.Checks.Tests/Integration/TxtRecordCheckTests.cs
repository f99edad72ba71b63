using MonitorService.Checks.Model;
using MonitorService.Testing.Dns;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Checks.Tests.Integration;

public class TxtRecordCheckTests
{
    [Fact]
    public async Task Missing_record_is_an_error_that_says_a_policy_is_nevertheless_served()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.Remove($"_mta-sts.{Domain}", "TXT");
        env.Zone.AddTxt($"_mta-sts.{Domain}", "v=spf1 -all");

        var report = await env.CheckAsync();

        var finding = report.Single(FindingCodes.MtaStsTxtMissing);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("nevertheless served", finding.Message, StringComparison.Ordinal);
        Assert.Null(report.Txt.Id);
        Assert.Equal(["v=spf1 -all"], report.Txt.Records);
    }

    [Fact]
    public async Task Two_sts_records_mean_no_policy()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.AddTxt($"_mta-sts.{Domain}", "v=STSv1; id=2");

        var report = await env.CheckAsync();

        Assert.Equal(Severity.Error, report.Single(FindingCodes.MtaStsTxtMultiple).Severity);
        Assert.Null(report.Txt.Id);
    }

    [Fact]
    public async Task An_invalid_id_is_reported_with_the_offending_value()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.Remove($"_mta-sts.{Domain}", "TXT");
        env.Zone.AddTxt($"_mta-sts.{Domain}", "v=STSv1; id=2026-01-01");

        var report = await env.CheckAsync();

        var finding = report.Single(FindingCodes.MtaStsTxtInvalid);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("2026-01-01", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Strings_of_one_record_are_joined_without_spaces()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.Remove($"_mta-sts.{Domain}", "TXT");
        env.Zone.AddTxt($"_mta-sts.{Domain}", "v=STSv1; id=20", "260101");

        var report = await env.CheckAsync();

        Assert.Equal("20260101", report.Txt.Id);
        report.HasNoProblems();
    }

    [Fact]
    public async Task A_record_delegated_by_cname_is_followed()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.Remove($"_mta-sts.{Domain}", "TXT");
        env.Zone.AddCname($"_mta-sts.{Domain}", "_mta-sts.provider.test");
        env.Zone.AddTxt("_mta-sts.provider.test", "v=STSv1; id=delegated1");

        var report = await env.CheckAsync();

        Assert.Equal("delegated1", report.Txt.Id);
        report.Lacks(FindingCodes.MtaStsTxtMissing);
    }

    [Theory]
    [InlineData(DnsBehavior.ServFail, "SERVFAIL")]
    [InlineData(DnsBehavior.Refused, "REFUSED")]
    [InlineData(DnsBehavior.Hang, "in time")]
    public async Task A_failed_lookup_is_a_dns_error_never_a_missing_record(DnsBehavior behavior, string reason)
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.SetBehavior($"_mta-sts.{Domain}", behavior);

        var report = await env.CheckAsync(o => o.TimeoutSeconds = 1);

        var finding = report.Single(FindingCodes.MtaStsTxtDnsError);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains(reason, finding.Message, StringComparison.Ordinal);
        report.Lacks(FindingCodes.MtaStsTxtMissing);
    }

    [Fact]
    public async Task A_truncated_answer_is_retried_over_tcp()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.SetBehavior($"_mta-sts.{Domain}", DnsBehavior.Truncate);

        var report = await env.CheckAsync();

        Assert.Equal("20260101", report.Txt.Id);
        Assert.Equal(1, env.Dns.QueryCount($"_mta-sts.{Domain}", "TXT", tcp: true));
    }
}
