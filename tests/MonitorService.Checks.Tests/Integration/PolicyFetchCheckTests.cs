using System.Diagnostics;
using MonitorService.Checks.Model;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Checks.Tests.Integration;

public class PolicyFetchCheckTests
{
    [Fact]
    public async Task No_address_for_the_policy_host_makes_the_policy_unreachable()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.Remove(PolicyHost, "A");

        var report = await env.CheckAsync();

        var finding = report.Single(FindingCodes.PolicyUnreachable);
        Assert.Equal((Severity.Error, PolicyHost), (finding.Severity, finding.Subject));
        Assert.Contains("no A or AAAA record", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_connection_makes_the_policy_unreachable()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.Remove(PolicyHost, "A");
        env.Zone.AddA(PolicyHost, DeadIp.ToString());

        var report = await env.CheckAsync();

        Assert.Contains(DeadIp.ToString(), report.Single(FindingCodes.PolicyUnreachable).Message, StringComparison.Ordinal);
        Assert.Null(report.Policy!.HttpStatus);
    }

    [Theory]
    [InlineData("wrong-host", "not valid for mta-sts.example.test")]
    [InlineData("expired", "expired on")]
    [InlineData("self-signed", "untrusted")]
    [InlineData("cn-only", "no DNS subject alternative name")]
    public async Task A_certificate_senders_reject_is_reported_with_the_reason(string kind, string reason)
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetCertificate(PolicyHost, kind switch
        {
            "wrong-host" => env.Ca.IssueWrongHostLeaf("www.example.test"),
            "expired" => env.Ca.IssueExpiredLeaf(PolicyHost),
            "self-signed" => TestCertificateAuthority.CreateSelfSigned(PolicyHost),
            _ => env.Ca.IssueCommonNameOnlyLeaf(PolicyHost),
        });

        var report = await env.CheckAsync();

        var finding = report.Single(FindingCodes.PolicyCertInvalid);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains(reason, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_policy_certificate_is_trusted_only_through_the_configured_ca_file()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();

        var report = await env.CheckAsync(o => o.CaFile = null);

        Assert.Contains("untrusted", report.Single(FindingCodes.PolicyCertInvalid).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_expiring_within_14_days_is_a_warning()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetCertificate(PolicyHost, env.Ca.IssueLeafExpiringIn(TimeSpan.FromDays(5), PolicyHost));

        var report = await env.CheckAsync();

        Assert.Equal(Severity.Warning, report.Single(FindingCodes.PolicyCertExpiring).Severity);
        report.Lacks(FindingCodes.PolicyCertInvalid);
    }

    [Fact]
    public async Task A_redirect_is_never_followed()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetResponse(PolicyHost, PolicyResponse.Redirect($"https://{PolicyHost}:{env.Https.Port}/elsewhere.txt"));

        var report = await env.CheckAsync();

        Assert.Equal(Severity.Error, report.Single(FindingCodes.PolicyRedirect).Severity);
        Assert.Equal(302, report.Policy!.HttpStatus);
        Assert.Single(env.Https.Requests);
    }

    [Fact]
    public async Task A_redirect_loop_costs_one_request()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetResponse(PolicyHost, PolicyResponse.RedirectLoop);

        var report = await env.CheckAsync();

        report.Single(FindingCodes.PolicyRedirect);
        Assert.Single(env.Https.Requests);
    }

    [Theory]
    [InlineData(404)]
    [InlineData(204)]
    [InlineData(500)]
    public async Task Any_status_but_200_means_no_policy(int status)
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetResponse(PolicyHost, PolicyResponse.Status(status, status == 204 ? null : "nope"));

        var report = await env.CheckAsync();

        Assert.Contains($"HTTP {status}", report.Single(FindingCodes.PolicyHttpStatus).Message, StringComparison.Ordinal);
        Assert.Null(report.Policy!.Mode);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData(null)]
    public async Task A_media_type_other_than_text_plain_is_a_warning(string? contentType)
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetResponse(PolicyHost, PolicyResponse.Ok(HealthyPolicy, contentType));

        var report = await env.CheckAsync();

        var finding = report.Single(FindingCodes.PolicyContentType);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("reject", finding.Message, StringComparison.Ordinal);
        Assert.Equal("enforce", report.Policy!.Mode);
    }

    [Fact]
    public async Task Text_plain_with_a_charset_is_fine()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetResponse(PolicyHost, PolicyResponse.Ok(HealthyPolicy, "text/plain; charset=utf-8"));

        (await env.CheckAsync()).HasNoProblems();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_10_MB_body_is_cut_at_64_KiB(bool declareLength)
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetResponse(PolicyHost, PolicyResponse.Huge(declareLength: declareLength));

        var report = await env.CheckAsync();

        Assert.Equal(Severity.Error, report.Single(FindingCodes.PolicyTooLarge).Severity);
        Assert.Equal(64 * 1024, report.Policy!.Raw!.Length);
    }

    [Fact]
    public async Task Addresses_serving_different_policies_are_inconsistent()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.AddA(PolicyHost, PolicyIp2.ToString());
        env.Https.SetResponse(PolicyHost, PolicyIp2, PolicyResponse.Policy("testing", 86400, Mx1, Mx2));

        var report = await env.CheckAsync();

        var finding = report.Single(FindingCodes.PolicyInconsistent);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("different policy bodies", finding.Message, StringComparison.Ordinal);
        Assert.True(env.Https.WasContacted(PolicyIp) && env.Https.WasContacted(PolicyIp2));
    }

    [Fact]
    public async Task Addresses_serving_the_same_policy_are_consistent()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.AddA(PolicyHost, PolicyIp2.ToString());

        var report = await env.CheckAsync();

        report.HasNoProblems();
        Assert.True(env.Https.WasContacted(PolicyIp2));
    }

    [Theory]
    [InlineData("hang")]
    [InlineData("trickle")]
    public async Task A_hostile_server_cannot_stall_the_check(string kind)
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetResponse(PolicyHost, kind == "hang" ? PolicyResponse.Hang : PolicyResponse.Trickle(TimeSpan.FromMilliseconds(200)));
        var stopwatch = Stopwatch.StartNew();

        var report = await env.CheckAsync(o => o.TimeoutSeconds = 1);

        // The fetch is bounded by the per-operation timeout; generous slack for a loaded machine.
        Assert.InRange(stopwatch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(8));
        Assert.Contains("no complete answer within 1 s", report.Single(FindingCodes.PolicyUnreachable).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_request_carries_sni_and_asks_for_no_cached_copy()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();

        await env.CheckAsync();

        var request = Assert.Single(env.Https.Requests);
        Assert.Equal(PolicyHost, request.SniHostName);
        Assert.Equal(PolicyHost, request.HostHeader);
        Assert.Equal("GET", request.Method);
    }
}
