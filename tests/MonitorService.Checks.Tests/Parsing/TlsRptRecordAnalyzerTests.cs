using MonitorService.Checks.Model;
using MonitorService.Checks.Parsing;

namespace MonitorService.Checks.Tests.Parsing;

public class TlsRptRecordAnalyzerTests
{
    [Fact]
    public void Valid_record_lists_rua()
    {
        var result = TlsRptRecordAnalyzer.Analyze(["v=spf1 -all", "v=TLSRPTv1; rua=mailto:tlsrpt@example.com"]);

        Assert.Equal(["v=TLSRPTv1; rua=mailto:tlsrpt@example.com"], result.TlsRptRecords);
        Assert.Equal(["mailto:tlsrpt@example.com"], result.Rua);
        FindingAssert.Empty(result.Findings);
    }

    [Theory]
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com,https://r.example.net/tlsrpt")]
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com , https://r.example.net/tlsrpt")]
    [InlineData("v=TLSRPTv1;rua=mailto:a@example.com,\thttps://r.example.net/tlsrpt;")]
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com, https://r.example.net/tlsrpt; ext=1")]
    public void Spaces_around_commas_are_valid(string record)
    {
        var result = TlsRptRecordAnalyzer.Analyze([record]);

        Assert.Equal(["mailto:a@example.com", "https://r.example.net/tlsrpt"], result.Rua);
        FindingAssert.Empty(result.Findings);
    }

    [Fact]
    public void Scheme_is_case_insensitive_and_kept_as_written()
    {
        var result = TlsRptRecordAnalyzer.Analyze(["v=TLSRPTv1; rua=MAILTO:a@example.com,HTTPS://r.example.net/"]);

        Assert.Equal(["MAILTO:a@example.com", "HTTPS://r.example.net/"], result.Rua);
        FindingAssert.Empty(result.Findings);
    }

    [Fact]
    public void Other_scheme_is_an_error_about_that_uri_and_valid_uris_stay()
    {
        var result = TlsRptRecordAnalyzer.Analyze(["v=TLSRPTv1; rua=ftp://r.example.net/x, mailto:a@example.com"]);

        Assert.Equal(["mailto:a@example.com"], result.Rua);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.TlsRptInvalid, Severity.Error, "ftp://r.example.net/x");
        Assert.Contains("ftp", finding.Message);
        Assert.Equal("RFC 8460 §3", finding.Rfc);
        Assert.Single(result.Findings);
    }

    [Fact]
    public void Only_an_unsupported_scheme_leaves_no_rua()
    {
        var result = TlsRptRecordAnalyzer.Analyze(["v=TLSRPTv1; rua=http://r.example.net/x"]);

        Assert.Empty(result.Rua);
        FindingAssert.Single(result.Findings, FindingCodes.TlsRptInvalid, Severity.Error, "http://r.example.net/x");
    }

    [Theory]
    [InlineData("v=TLSRPTv1;", "no rua field")]
    [InlineData("v=TLSRPTv1", "no rua field")]
    [InlineData("v=TLSRPTv1; ruf=mailto:a@example.com", "no rua field")]
    [InlineData("v=TLSRPTv1; RUA=mailto:a@example.com", "case-sensitive")]
    [InlineData("v=TLSRPTv1; rua=", "empty entry")]
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com,", "empty entry")]
    [InlineData("v=TLSRPTv1; rua=mailto:", "nothing after")]
    [InlineData("v=TLSRPTv1; rua=a@example.com", "not a URI")]
    [InlineData("v=TLSRPTv1; rua=mailto:a!b@example.com", "percent-encoded")]
    [InlineData("v=TLSRPTv1; rua= mailto:a@example.com", "whitespace around '='")]
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com; _bad=1", "\"_bad\"")]
    [InlineData("v=TLSRPTv1x; rua=mailto:a@example.com", "first field")]
    [InlineData("v=TLSRPTv1; rua=mailto:ä@example.com", "non-ASCII")]
    public void Invalid_record_is_an_error_about_the_record(string record, string expected)
    {
        var result = TlsRptRecordAnalyzer.Analyze([record]);

        Assert.Empty(result.Rua);
        Assert.Equal([record], result.TlsRptRecords);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.TlsRptInvalid, Severity.Error, record);
        Assert.Contains(expected, finding.Message);
    }

    [Theory]
    [InlineData("rua=mailto:a@example.com; v=TLSRPTv1", "must come first")]
    [InlineData("V=TLSRPTv1; rua=mailto:a@example.com", "case-sensitive")]
    public void Version_not_first_is_invalid_not_missing(string record, string expected)
    {
        var result = TlsRptRecordAnalyzer.Analyze([record]);

        Assert.Empty(result.TlsRptRecords);
        Assert.Empty(result.Rua);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.TlsRptInvalid, Severity.Error, record);
        Assert.Contains(expected, finding.Message);
        FindingAssert.None(result.Findings, FindingCodes.TlsRptMissing);
    }

    [Fact]
    public void Multiple_records_are_an_error()
    {
        var result = TlsRptRecordAnalyzer.Analyze(["v=TLSRPTv1; rua=mailto:a@example.com", "v=TLSRPTv1; rua=mailto:b@example.com"]);

        Assert.Equal(2, result.TlsRptRecords.Count);
        Assert.Empty(result.Rua);
        FindingAssert.Single(result.Findings, FindingCodes.TlsRptMultiple, Severity.Error);
        Assert.Single(result.Findings);
    }

    [Theory]
    [InlineData("")]
    [InlineData("v=spf1 -all")]
    public void Missing_record_is_a_warning_with_a_fix(string joinedRecords)
    {
        // InlineData cannot carry a string array, so the records come joined by '|'.
        var records = joinedRecords.Split('|', StringSplitOptions.RemoveEmptyEntries);
        var result = TlsRptRecordAnalyzer.Analyze(records);

        Assert.Empty(result.TlsRptRecords);
        Assert.Empty(result.Rua);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.TlsRptMissing, Severity.Warning);
        Assert.Null(finding.Subject);
        Assert.Contains("v=TLSRPTv1; rua=mailto:tlsrpt@<your domain>", finding.Fix);
    }
}
