using MonitorService.Checks.Model;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Checks.Tests.Integration;

public class SmtpCheckTests
{
    [Theory]
    [InlineData(SmtpBehavior.NoGreeting, FindingCodes.SmtpUnreachable)]
    [InlineData(SmtpBehavior.CloseImmediately, FindingCodes.SmtpUnreachable)]
    [InlineData(SmtpBehavior.NoStartTls, FindingCodes.SmtpStartTlsMissing)]
    [InlineData(SmtpBehavior.TlsBrokenClose, FindingCodes.SmtpTlsFailed)]
    [InlineData(SmtpBehavior.TlsBrokenGarbage, FindingCodes.SmtpTlsFailed)]
    public async Task A_backup_mx_failing_the_dialogue_is_an_error_under_enforce(SmtpBehavior behavior, string code)
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Smtp.SetBehavior(Mx2Ip, behavior);

        var report = await env.CheckAsync(o => o.TimeoutSeconds = 1);

        var finding = report.Single(code, Mx2);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("will not deliver", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(report.Findings, f => f.Subject == Mx1);
    }

    [Fact]
    public async Task Nothing_listening_is_unreachable()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.Remove(Mx2, "A");
        env.Zone.AddA(Mx2, DeadIp.ToString());

        Assert.Equal(Severity.Error, (await env.CheckAsync()).Single(FindingCodes.SmtpUnreachable, Mx2).Severity);
    }

    [Fact]
    public async Task Smtp_problems_are_warnings_in_testing_mode()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetResponse(PolicyHost, PolicyResponse.Policy("testing", 604800, Mx1, Mx2));
        env.Smtp.SetBehavior(Mx2Ip, SmtpBehavior.NoStartTls);

        Assert.Equal(Severity.Warning, (await env.CheckAsync()).Single(FindingCodes.SmtpStartTlsMissing, Mx2).Severity);
    }

    [Theory]
    [InlineData("self-signed", FindingCodes.SmtpCertUntrusted)]
    [InlineData("wrong-host", FindingCodes.SmtpCertHostnameMismatch)]
    [InlineData("expired", FindingCodes.SmtpCertExpired)]
    public async Task A_certificate_senders_reject_is_an_error_under_enforce(string kind, string code)
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Smtp.SetCertificate(Mx2Ip, kind switch
        {
            "self-signed" => TestCertificateAuthority.CreateSelfSigned(Mx2),
            "wrong-host" => env.Ca.IssueWrongHostLeaf("other.example.test"),
            _ => env.Ca.IssueExpiredLeaf(Mx2),
        });

        var report = await env.CheckAsync();

        Assert.Equal(Severity.Error, report.Single(code, Mx2).Severity);
        Assert.Single(report.Findings, f => f.Severity == Severity.Error);
    }

    [Fact]
    public async Task A_certificate_expiring_within_14_days_is_a_warning()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Smtp.SetCertificate(Mx2Ip, env.Ca.IssueLeafExpiringIn(TimeSpan.FromDays(3), Mx2));

        var finding = (await env.CheckAsync()).Single(FindingCodes.SmtpCertExpiring, Mx2);

        Assert.Equal(Severity.Warning, finding.Severity);
    }

    [Fact]
    public async Task No_smtp_skips_the_probes()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();

        var report = await env.CheckAsync(o => o.SkipSmtp = true);

        Assert.Empty(env.Smtp.Connections);
        Assert.All(report.Mx, mx => Assert.Null(mx.Tls));
        report.HasNoProblems();
    }

    [Fact]
    public async Task The_next_address_is_tried_when_the_first_refuses()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.Remove(Mx2, "A");
        env.Zone.AddA(Mx2, DeadIp.ToString()).AddA(Mx2, Mx2Ip.ToString());

        var report = await env.CheckAsync();

        report.HasNoProblems();
        Assert.Equal(Mx2Ip.ToString(), report.Mx[1].Tls!.Address);
    }
}
