using MonitorService.Checks.Model;

namespace MonitorService.Checks.Tests.Integration;

public class HealthyDomainTests
{
    [Fact]
    public async Task A_domain_that_does_everything_right_has_no_problems_and_the_report_shows_what_was_seen()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();

        var report = await env.CheckAsync();

        report.HasNoProblems();
        Assert.Equal("ok", report.Status);
        Assert.Equal("20260101", report.Txt.Id);
        Assert.Equal("enforce", report.Policy!.Mode);
        Assert.Equal(604800, report.Policy.MaxAge);
        Assert.Equal([CheckEnvironment.Mx1, CheckEnvironment.Mx2], report.Policy.Mx);
        Assert.Equal(CheckEnvironment.HealthyPolicy, report.Policy.Raw);
        Assert.True(report.Policy.Certificate!.Trusted);
        Assert.Collection(report.Mx,
            mx1 =>
            {
                Assert.Equal((CheckEnvironment.Mx1, 10, true, CheckEnvironment.Mx1), (mx1.Host, mx1.Preference, mx1.Covered, mx1.CoveredBy));
                Assert.Equal(["127.0.0.30"], mx1.Addresses);
                Assert.True(mx1.Tls!.Starttls);
                Assert.StartsWith("TLS 1.", mx1.Tls.Protocol, StringComparison.Ordinal);
                Assert.Contains(CheckEnvironment.Mx1, mx1.Tls.Certificate!.DnsNames);
                Assert.StartsWith("220", mx1.Tls.Greeting, StringComparison.Ordinal);
            },
            mx2 => Assert.Equal((CheckEnvironment.Mx2, 20, true), (mx2.Host, mx2.Preference, mx2.Covered)));
        Assert.Equal(["mailto:tlsrpt@example.test"], report.TlsRpt!.Rua);
    }

    [Fact]
    public async Task The_probe_sends_sni_and_never_a_message()
    {
        await using var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();

        await env.CheckAsync();

        var connection = Assert.Single(env.Smtp.ConnectionsTo(CheckEnvironment.Mx1Ip));
        Assert.True(connection.TlsNegotiated);
        Assert.Equal(CheckEnvironment.Mx1, connection.SniHostName);
        Assert.DoesNotContain(connection.Commands, c => c.StartsWith("MAIL", StringComparison.OrdinalIgnoreCase) || c.StartsWith("RCPT", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(connection.Commands, c => c.StartsWith("QUIT", StringComparison.OrdinalIgnoreCase));
        Assert.Empty(env.Smtp.Messages);
        var request = Assert.Single(env.Https.Requests);
        Assert.Equal("/.well-known/mta-sts.txt", request.Path);
    }
}
