using MonitorService.Checks.Model;
using MonitorService.Testing.Dns;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Checks.Tests.Integration;

public class MxCheckTests
{
    [Fact]
    public async Task An_uncovered_backup_mx_is_an_error_under_enforce_with_the_fix_in_order()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetResponse(PolicyHost, PolicyResponse.Policy("enforce", 604800, Mx1));

        var report = await env.CheckAsync();

        var finding = report.Single(FindingCodes.MxMismatch, Mx2);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Contains("backup MX", finding.Message, StringComparison.Ordinal);
        Assert.Equal("RFC 8461 §4.1", finding.Rfc);
        var fix = finding.Fix!;
        Assert.Contains("mx: mx2.example.test", fix, StringComparison.Ordinal);
        Assert.True(fix.IndexOf("mx: mx2.example.test", StringComparison.Ordinal) < fix.IndexOf("new id", StringComparison.Ordinal), "the policy comes before the id");
        Assert.Matches("id=[a-z0-9]{1,32}\"", fix);
        Assert.Equal((false, (string?)null), (report.Mx[1].Covered, report.Mx[1].CoveredBy));
    }

    [Fact]
    public async Task An_uncovered_mx_is_a_warning_in_testing_mode()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetResponse(PolicyHost, PolicyResponse.Policy("testing", 604800, Mx1));

        var report = await env.CheckAsync();

        Assert.Equal(Severity.Warning, report.Single(FindingCodes.MxMismatch, Mx2).Severity);
        Assert.Equal(Severity.Info, report.Single(FindingCodes.ModeTesting).Severity);
    }

    [Fact]
    public async Task A_wildcard_covers_one_label_only()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.Remove(Domain, "MX");
        env.Zone.AddMx(Domain, 10, Mx1).AddMx(Domain, 20, "deep.mx2.example.test");
        env.Zone.AddA("deep.mx2.example.test", Mx2Ip.ToString());
        env.Smtp.SetCertificate("deep.mx2.example.test", env.Ca.IssueLeaf("deep.mx2.example.test"));
        env.Https.SetResponse(PolicyHost, PolicyResponse.Policy("enforce", 604800, "*.example.test"));

        var report = await env.CheckAsync();

        Assert.Equal("*.example.test", report.Mx[0].CoveredBy);
        report.Single(FindingCodes.MxMismatch, "deep.mx2.example.test");
    }

    [Fact]
    public async Task A_pattern_no_mx_uses_is_reported_as_left_over()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Https.SetResponse(PolicyHost, PolicyResponse.Policy("enforce", 604800, Mx1, Mx2, "old-mx.provider.test"));

        var finding = (await env.CheckAsync()).Single(FindingCodes.MxUnusedPattern);

        Assert.Equal((Severity.Info, "old-mx.provider.test"), (finding.Severity, finding.Subject));
    }

    [Fact]
    public async Task No_mx_records_is_an_error()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.Remove(Domain, "MX");

        Assert.Equal(Severity.Error, (await env.CheckAsync()).Single(FindingCodes.MxMissing).Severity);
    }

    [Fact]
    public async Task A_null_mx_is_recognised_and_nothing_is_matched_or_probed()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.Remove(Domain, "MX");
        env.Zone.AddMx(Domain, 0, ".");

        var report = await env.CheckAsync();

        Assert.Equal(Severity.Info, report.Single(FindingCodes.MxNull).Severity);
        report.Lacks(FindingCodes.MxMismatch);
        report.Lacks(FindingCodes.MxUnusedPattern);
        Assert.Empty(env.Smtp.Connections);
    }

    [Fact]
    public async Task A_failed_mx_lookup_is_not_a_missing_mx()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.SetBehavior(Domain, DnsBehavior.ServFail);

        var report = await env.CheckAsync();

        report.Single(FindingCodes.MxDnsError);
        report.Lacks(FindingCodes.MxMissing);
    }

    [Fact]
    public async Task An_mx_host_without_address_is_an_error()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.Remove(Mx2, "A");

        Assert.Equal(Severity.Error, (await env.CheckAsync()).Single(FindingCodes.MxNoAddress, Mx2).Severity);
    }

    [Fact]
    public async Task A_cname_mx_is_checked_by_its_canonical_name_too()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.Remove(Mx2, "A");
        env.Zone.AddCname(Mx2, "mx2.provider.test");
        env.Zone.AddA("mx2.provider.test", Mx2Ip.ToString());

        var report = await env.CheckAsync();

        Assert.Equal("mx2.provider.test", report.Mx[1].Cname);
        Assert.Equal(Severity.Warning, report.Single(FindingCodes.MxCname, Mx2).Severity);
        var notCovered = report.Single(FindingCodes.MxCnameTargetNotCovered, Mx2);
        Assert.Contains("mx: mx2.provider.test", notCovered.Fix, StringComparison.Ordinal);
        Assert.Contains("mx2.provider.test", report.Single(FindingCodes.SmtpCertCnameTargetMismatch, Mx2).Message, StringComparison.Ordinal);
        report.Lacks(FindingCodes.MxMismatch);
    }
}
