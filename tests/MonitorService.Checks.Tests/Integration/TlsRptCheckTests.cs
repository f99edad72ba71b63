using MonitorService.Checks.Model;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Checks.Tests.Integration;

public class TlsRptCheckTests
{
    [Fact]
    public async Task Missing_record_is_a_warning()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.Remove($"_smtp._tls.{Domain}", "TXT");

        var report = await env.CheckAsync();

        Assert.Equal(Severity.Warning, report.Single(FindingCodes.TlsRptMissing).Severity);
        Assert.Null(report.TlsRpt);
    }

    [Fact]
    public async Task Two_records_are_an_error()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.AddTxt($"_smtp._tls.{Domain}", "v=TLSRPTv1; rua=mailto:other@example.test");

        Assert.Equal(Severity.Error, (await env.CheckAsync()).Single(FindingCodes.TlsRptMultiple).Severity);
    }

    [Fact]
    public async Task An_unsupported_uri_scheme_is_invalid_and_spaces_around_commas_are_fine()
    {
        await using var env = (await StartAsync()).PublishHealthyDomain();
        env.Zone.Remove($"_smtp._tls.{Domain}", "TXT");
        env.Zone.AddTxt($"_smtp._tls.{Domain}", "v=TLSRPTv1; rua=mailto:a@example.test , https://r.example.test/tlsrpt, ftp://x.example.test/");

        var report = await env.CheckAsync();

        Assert.Equal("ftp://x.example.test/", report.Single(FindingCodes.TlsRptInvalid).Subject);
        Assert.Equal(["mailto:a@example.test", "https://r.example.test/tlsrpt"], report.TlsRpt!.Rua);
    }
}
