using MonitorService.Checks.Model;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Checks.Tests.Integration;

/// <summary>The parser's rules are unit-tested; these prove the served body reaches them and shapes the report.</summary>
public class PolicyContentCheckTests
{
    [Fact]
    public async Task Capitalised_keys_are_unknown_so_the_mode_is_missing()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetResponse(PolicyHost, PolicyResponse.Ok("version: STSv1\r\nMode: enforce\r\nmax_age: 604800\r\nmx: mx1.example.test\r\nmx: mx2.example.test\r\n"));

        var report = await env.CheckAsync();

        Assert.Equal(Severity.Error, report.Single(FindingCodes.PolicyMode).Severity);
        Assert.Null(report.Policy!.Mode);
        Assert.All(report.Mx, mx => Assert.Null(mx.Covered)); // an unusable policy covers nothing
    }

    [Fact]
    public async Task Lf_line_endings_are_accepted_and_noted()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetResponse(PolicyHost, PolicyResponse.Ok(HealthyPolicy.Replace("\r\n", "\n", StringComparison.Ordinal)));

        var report = await env.CheckAsync();

        Assert.Equal(Severity.Info, report.Single(FindingCodes.PolicyLineEndings).Severity);
        Assert.Equal("enforce", report.Policy!.Mode);
        report.HasNoProblems();
    }

    [Fact]
    public async Task Mode_none_withdraws_the_policy_and_nothing_is_matched()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetResponse(PolicyHost, PolicyResponse.Ok("version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n"));

        var report = await env.CheckAsync();

        Assert.Equal(Severity.Warning, report.Single(FindingCodes.ModeNone).Severity);
        report.Lacks(FindingCodes.MxMismatch);
        report.Lacks(FindingCodes.NoMx);
    }

    [Fact]
    public async Task A_max_age_beyond_a_year_is_an_error_and_a_short_one_a_warning()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetResponse(PolicyHost, PolicyResponse.Policy("enforce", 31557601, Mx1, Mx2));
        (await env.CheckAsync()).Single(FindingCodes.PolicyMaxAge);

        env.Https.SetResponse(PolicyHost, PolicyResponse.Policy("enforce", 3600, Mx1, Mx2));
        Assert.Equal(Severity.Warning, (await env.CheckAsync()).Single(FindingCodes.MaxAgeLow).Severity);
    }

    [Fact]
    public async Task An_invalid_mx_pattern_is_named()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetResponse(PolicyHost, PolicyResponse.Policy("enforce", 604800, Mx1, Mx2, "mail.*.example.test"));

        Assert.Equal(Severity.Error, (await env.CheckAsync()).Single(FindingCodes.MxPatternInvalid, "mail.*.example.test").Severity);
    }
}
