using MonitorService.Checks.Model;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Checks.Tests.Integration;

/// <summary>The policy host is attacker-controlled: its response headers are read up to 64 KiB like the body, no further.</summary>
public class PolicyHeaderLimitTests
{
    [Fact]
    public async Task Response_headers_past_64_KiB_end_the_fetch_with_a_clear_error()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetResponse(PolicyHost, PolicyResponse.Ok(HealthyPolicy) with
        {
            Headers = new Dictionary<string, string> { ["X-Flood"] = new string('x', 1024 * 1024) },
        });

        var report = await env.CheckAsync();

        var finding = report.Single(FindingCodes.PolicyUnreachable, PolicyHost);
        Assert.Contains("exceeded the set limit of 65536 bytes", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Findings, f => f.Subject is Mx1 or Mx2);
    }

    [Fact]
    public async Task Header_values_within_the_limit_are_quoted_only_in_part()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetResponse(PolicyHost, PolicyResponse.Redirect("https://elsewhere.example.test/" + new string('p', 30_000)));

        var report = await env.CheckAsync();

        Assert.InRange(report.Single(FindingCodes.PolicyRedirect).Message.Length, 1, 1024);
    }
}
