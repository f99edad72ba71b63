using MonitorService.Checks.Analysis;
using MonitorService.Checks.Model;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Checks.Tests.Integration;

/// <summary>
/// A 64 KiB policy can hold thousands of bad lines; each would be a finding (and, in the monitor, an incident and
/// a line in an alert mail): a few kilobytes published become megabytes stored. A report names the first ones.
/// </summary>
public class FindingCountLimitTests
{
    [Fact]
    public async Task Two_thousand_bad_policy_lines_give_a_bounded_number_of_findings()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        var badPatterns = string.Concat(Enumerable.Range(0, 2000).Select(i => $"mx: bad_{i}!.example.test\r\n"));
        env.Https.SetResponse(PolicyHost, PolicyResponse.Ok(HealthyPolicy + badPatterns));

        var report = await env.CheckAsync();

        var invalid = report.Findings.Where(f => f.Code == FindingCodes.MxPatternInvalid).ToList();
        Assert.Equal(ReportBuilder.MaxFindingsPerCode + 1, invalid.Count);
        Assert.Equal("bad_0!.example.test", invalid[0].Subject);
        var summary = invalid[^1];
        Assert.Null(summary.Subject);
        Assert.Equal(Severity.Error, summary.Severity);
        Assert.StartsWith($"{2000 - ReportBuilder.MaxFindingsPerCode} more MTASTS_MX_PATTERN_INVALID findings", summary.Message, StringComparison.Ordinal);
        Assert.InRange(report.Findings.Sum(f => f.Message.Length + (f.Fix?.Length ?? 0)), 1, 64 * 1024);
    }
}
