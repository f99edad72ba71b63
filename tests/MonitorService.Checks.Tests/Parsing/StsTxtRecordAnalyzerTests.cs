using MonitorService.Checks.Model;
using MonitorService.Checks.Parsing;

namespace MonitorService.Checks.Tests.Parsing;

public class StsTxtRecordAnalyzerTests
{
    [Fact]
    public void Valid_record_gives_its_id_and_no_findings()
    {
        var result = StsTxtRecordAnalyzer.Analyze(["v=STSv1; id=20240101T000000"]);

        Assert.Equal("20240101T000000", result.Id);
        Assert.Equal(["v=STSv1; id=20240101T000000"], result.StsRecords);
        FindingAssert.Empty(result.Findings);
    }

    [Fact]
    public void Strings_joined_without_spaces_form_one_id()
    {
        var result = StsTxtRecordAnalyzer.Analyze(["v=STSv1; id=20" + "240101"]);

        Assert.Equal("20240101", result.Id);
    }

    [Fact]
    public void Unrelated_records_are_ignored()
    {
        var result = StsTxtRecordAnalyzer.Analyze(["v=spf1 -all", "v=STSv1; id=1"]);

        Assert.Equal("1", result.Id);
        Assert.Equal(["v=STSv1; id=1"], result.StsRecords);
        FindingAssert.Empty(result.Findings);
    }

    [Theory]
    [InlineData("")]
    [InlineData("v=spf1 -all")]
    [InlineData("google-site-verification=abc")]
    public void No_sts_record_is_missing(string joinedRecords)
    {
        // InlineData cannot carry a string array, so the records come joined by '|'.
        var records = joinedRecords.Split('|', StringSplitOptions.RemoveEmptyEntries);
        var result = StsTxtRecordAnalyzer.Analyze(records);

        Assert.Null(result.Id);
        Assert.Empty(result.StsRecords);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.MtaStsTxtMissing, Severity.Error);
        Assert.Equal("RFC 8461 §3.1", finding.Rfc);
        Assert.Contains("_mta-sts.<your domain>", finding.Fix);
        Assert.Single(result.Findings);
    }

    [Fact]
    public void Two_sts_records_mean_no_policy()
    {
        var result = StsTxtRecordAnalyzer.Analyze(["v=STSv1; id=1", "v=STSv1; id=2", "v=spf1 -all"]);

        Assert.Null(result.Id);
        Assert.Equal(2, result.StsRecords.Count);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.MtaStsTxtMultiple, Severity.Error);
        Assert.Contains("no MTA-STS policy", finding.Message);
        Assert.Contains("id=1", finding.Subject);
        Assert.Contains("id=2", finding.Subject);
    }

    [Theory]
    [InlineData("id=1; v=STSv1", "must come first")]
    [InlineData("V=STSv1; id=1", "case-sensitive")]
    [InlineData("v=stsv1; id=1", "case-sensitive")]
    [InlineData(" v=STSv1; id=1", "whitespace")]
    public void Record_mentioning_version_not_first_is_invalid_not_missing(string record, string reason)
    {
        var result = StsTxtRecordAnalyzer.Analyze([record]);

        Assert.Null(result.Id);
        Assert.Empty(result.StsRecords);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.MtaStsTxtInvalid, Severity.Error, record);
        Assert.Contains(reason, finding.Message);
        FindingAssert.None(result.Findings, FindingCodes.MtaStsTxtMissing);
    }

    [Fact]
    public void Misplaced_version_is_ignored_when_a_valid_record_exists()
    {
        var result = StsTxtRecordAnalyzer.Analyze(["id=1; v=STSv1", "v=STSv1; id=2"]);

        Assert.Equal("2", result.Id);
        FindingAssert.Empty(result.Findings);
    }

    [Theory]
    [InlineData("v=STSv1; id=2024-01-01", "id \"2024-01-01\" contains '-': ids are 1-32 letters or digits")]
    [InlineData("v=STSv1; id=", "id is empty")]
    [InlineData("v=STSv1; id=123456789012345678901234567890123", "33 characters long")]
    [InlineData("v=STSv1;", "no id field")]
    [InlineData("v=STSv1", "no id field")]
    [InlineData("v=STSv1; ext=1", "no id field")]
    [InlineData("v=STSv1; ID=1", "field names are case-sensitive")]
    [InlineData("v=STSv1; id=abc def", "contains a space")]
    [InlineData("v=STSv1; id=1;; x=y", "empty field")]
    [InlineData("v=STSv1; id = 1", "whitespace around '='")]
    [InlineData("v=STSv1; id=1; novalue", "has no '='")]
    [InlineData("v=STSv1x; id=1", "first field is \"v=STSv1x\"")]
    [InlineData("v=STSv1; id=1; _ext=1", "field name \"_ext\" is not valid")]
    [InlineData("v=STSv1; id=1; ext=", "empty value")]
    [InlineData("v=STSv1; id=1; ext=a=b", "contains '='")]
    [InlineData("v=STSv1; id=1; abcdefghijabcdefghijabcdefghijabc=1", "is not valid")]
    [InlineData("v=STSv1; id=1é", "non-ASCII")]
    [InlineData("v=STSv1; id=1; ext=é", "non-ASCII character 'é' (U+00E9)")]
    public void Invalid_record_names_the_problem(string record, string expected)
    {
        var result = StsTxtRecordAnalyzer.Analyze([record]);

        Assert.Null(result.Id);
        Assert.Equal([record], result.StsRecords);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.MtaStsTxtInvalid, Severity.Error, record);
        Assert.Contains(expected, finding.Message);
        Assert.Equal("RFC 8461 §3.1", finding.Rfc);
        Assert.NotNull(finding.Fix);
    }

    [Theory]
    [InlineData("v=STSv1;id=1;", "1")]
    [InlineData("v=STSv1; id=1; ", "1")]
    [InlineData("v=STSv1;\tid=abc", "abc")]
    [InlineData("v=STSv1; id=12345678901234567890123456789012", "12345678901234567890123456789012")]
    [InlineData("v=STSv1; id=1 ; ext=x", "1")]
    [InlineData("v=STSv1; id=AbC9", "AbC9")]
    public void Valid_variants_are_accepted_without_findings(string record, string id)
    {
        var result = StsTxtRecordAnalyzer.Analyze([record]);

        Assert.Equal(id, result.Id);
        FindingAssert.Empty(result.Findings);
    }

    [Theory]
    [InlineData("v=STSv1; id=1; ext=value")]
    [InlineData("v=STSv1; id=1; x.y_z-1=a:b<c>~")]
    [InlineData("v=STSv1; 9ext=1; id=7")]
    public void Well_formed_extensions_are_ignored(string record)
    {
        var result = StsTxtRecordAnalyzer.Analyze([record]);

        Assert.NotNull(result.Id);
        FindingAssert.Empty(result.Findings);
    }

    [Fact]
    public void Whitespace_before_first_semicolon_is_valid_with_a_warning()
    {
        const string record = "v=STSv1 ; id=1";
        var result = StsTxtRecordAnalyzer.Analyze([record]);

        Assert.Equal("1", result.Id);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.MtaStsTxtNonStandard, Severity.Warning, record);
        Assert.Contains("v=STSv1;", finding.Message);
        Assert.Single(result.Findings);
    }

    [Fact]
    public void Repeated_id_uses_the_first_with_a_warning()
    {
        const string record = "v=STSv1; id=first; id=second";
        var result = StsTxtRecordAnalyzer.Analyze([record]);

        Assert.Equal("first", result.Id);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.MtaStsTxtNonStandard, Severity.Warning, record);
        Assert.Contains("\"id\"", finding.Message);
    }

    [Fact]
    public void Repeated_field_does_not_rescue_an_invalid_first_id()
    {
        var result = StsTxtRecordAnalyzer.Analyze(["v=STSv1; id=bad-id; id=good"]);

        Assert.Null(result.Id);
        FindingAssert.Single(result.Findings, FindingCodes.MtaStsTxtInvalid, Severity.Error);
        FindingAssert.Single(result.Findings, FindingCodes.MtaStsTxtNonStandard, Severity.Warning);
    }

    [Fact]
    public void Trailing_whitespace_without_semicolon_is_a_warning()
    {
        var result = StsTxtRecordAnalyzer.Analyze(["v=STSv1; id=1 "]);

        Assert.Equal("1", result.Id);
        FindingAssert.Single(result.Findings, FindingCodes.MtaStsTxtNonStandard, Severity.Warning, "v=STSv1; id=1 ");
    }

    [Fact]
    public void Several_problems_are_all_named_in_one_finding()
    {
        var result = StsTxtRecordAnalyzer.Analyze(["v=STSv1; id=a-b; _x=1"]);

        var finding = FindingAssert.Single(result.Findings, FindingCodes.MtaStsTxtInvalid, Severity.Error);
        Assert.Contains("contains '-'", finding.Message);
        Assert.Contains("\"_x\"", finding.Message);
    }
}
