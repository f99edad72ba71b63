using MonitorService.Checks.Model;
using MonitorService.TlsRpt.Correlation;

namespace MonitorService.Tests.TlsRpt;

/// <summary>Each result type of RFC 8460 §4.3 against the finding that explains it, on the report's day, and what stays unexplained.</summary>
public class FailureCorrelatorTests
{
    private static readonly DateOnly Day = new(2026, 11, 20);
    private static readonly DateTimeOffset Noon = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);

    private static FindingPeriod Open(string code, string subject = "mx1.example.test") => new(code, subject, Noon.AddDays(-3), null);

    [Theory]
    [InlineData("sts-policy-fetch-error", FindingCodes.PolicyUnreachable, "mta-sts.example.test")]
    [InlineData("sts-policy-fetch-error", FindingCodes.PolicyCertInvalid, "mta-sts.example.test")]
    [InlineData("sts-webpki-invalid", FindingCodes.PolicyCertInvalid, "mta-sts.example.test")]
    [InlineData("certificate-host-mismatch", FindingCodes.SmtpCertHostnameMismatch, "mx1.example.test")]
    [InlineData("certificate-expired", FindingCodes.SmtpCertExpired, "mx1.example.test")]
    [InlineData("certificate-not-trusted", FindingCodes.SmtpCertUntrusted, "mx1.example.test")]
    [InlineData("starttls-not-supported", FindingCodes.SmtpStartTlsMissing, "mx1.example.test")]
    [InlineData("validation-failure", FindingCodes.MxMismatch, "mx1.example.test")]
    [InlineData("validation-failure", FindingCodes.SmtpTlsFailed, "mx1.example.test")]
    public void A_matching_finding_open_that_day_explains_the_failure(string resultType, string code, string subject)
    {
        Assert.Equal(code, FailureCorrelator.Explain(resultType, "MX1.example.test.", Day, [Open(code, subject)]));
    }

    [Fact]
    public void A_host_bound_failure_needs_the_finding_of_that_host()
    {
        Assert.Null(FailureCorrelator.Explain("certificate-host-mismatch", "mx2.example.test", Day, [Open(FindingCodes.SmtpCertHostnameMismatch, "mx1.example.test")]));
        Assert.Null(FailureCorrelator.Explain("certificate-expired", null, Day, [Open(FindingCodes.SmtpCertExpired)]));
    }

    [Fact]
    public void A_policy_fetch_failure_needs_no_host()
    {
        Assert.Equal(FindingCodes.PolicyUnreachable, FailureCorrelator.Explain("sts-policy-fetch-error", null, Day, [Open(FindingCodes.PolicyUnreachable, "mta-sts.example.test")]));
    }

    [Fact]
    public void A_finding_outside_the_report_day_explains_nothing()
    {
        var closedBefore = new FindingPeriod(FindingCodes.SmtpCertExpired, "mx1.example.test", Noon.AddDays(-5), Noon.AddDays(-1));
        var openedAfter = new FindingPeriod(FindingCodes.SmtpCertExpired, "mx1.example.test", Noon.AddDays(1), null);
        Assert.Null(FailureCorrelator.Explain("certificate-expired", "mx1.example.test", Day, [closedBefore, openedAfter]));
        var closedThatMorning = closedBefore with { Until = Noon.AddHours(-6) };
        Assert.Equal(FindingCodes.SmtpCertExpired, FailureCorrelator.Explain("certificate-expired", "mx1.example.test", Day, [closedThatMorning]));
    }

    [Theory]
    [InlineData("certificate-expired", FindingCodes.SmtpCertUntrusted)]
    [InlineData("starttls-not-supported", FindingCodes.SmtpCertExpired)]
    [InlineData("dane-required", FindingCodes.SmtpCertExpired)]
    [InlineData("tlsa-invalid", FindingCodes.SmtpCertUntrusted)]
    [InlineData("some-vendor-result", FindingCodes.PolicyUnreachable)]
    public void Other_findings_and_unknown_result_types_stay_unexplained(string resultType, string code)
    {
        Assert.Null(FailureCorrelator.Explain(resultType, "mx1.example.test", Day, [Open(code), Open(code, "mta-sts.example.test")]));
    }

    [Fact]
    public void Every_mapped_code_is_a_real_finding_code()
    {
        var codes = typeof(FindingCodes).GetFields().Select(f => (string)f.GetValue(null)!).ToHashSet();
        foreach (var resultType in FailureExplanations.ResultTypes)
            Assert.All(FailureExplanations.For(resultType)!.FindingCodes, c => Assert.Contains(c, codes));
    }
}
