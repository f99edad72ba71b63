using MonitorService.Checks.Model;
using MonitorService.Checks.Parsing;

namespace MonitorService.Checks.Tests.Parsing;

public class StsPolicyParserTests
{
    private const string Good = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.backup.example.com\r\nmax_age: 604800\r\n";

    [Fact]
    public void Valid_crlf_policy_parses_without_findings()
    {
        var result = StsPolicyParser.Parse(Good);

        Assert.Equal("STSv1", result.Policy.Version);
        Assert.Equal(StsMode.Enforce, result.Policy.Mode);
        Assert.Equal(604800, result.Policy.MaxAge);
        Assert.Equal(["mail.example.com", "*.backup.example.com"], result.Policy.Mx);
        Assert.True(result.Policy.IsUsable);
        FindingAssert.Empty(result.Findings);
    }

    [Fact]
    public void Lf_only_policy_is_usable_with_info()
    {
        var result = StsPolicyParser.Parse(Good.Replace("\r\n", "\n"));

        Assert.True(result.Policy.IsUsable);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.PolicyLineEndings, Severity.Info);
        Assert.Null(finding.Subject);
        Assert.Single(result.Findings);
    }

    [Fact]
    public void Policy_without_final_line_ending_is_fine()
    {
        var result = StsPolicyParser.Parse(Good.TrimEnd());

        Assert.True(result.Policy.IsUsable);
        FindingAssert.Empty(result.Findings);
    }

    [Fact]
    public void Values_are_trimmed_of_surrounding_whitespace()
    {
        var result = StsPolicyParser.Parse("version:STSv1\r\nmode:\t enforce \r\nmx:  mail.example.com\t\r\nmax_age: 86400 \r\n");

        Assert.Equal(StsMode.Enforce, result.Policy.Mode);
        Assert.Equal(86400, result.Policy.MaxAge);
        Assert.Equal(["mail.example.com"], result.Policy.Mx);
        FindingAssert.Empty(result.Findings);
    }

    [Fact]
    public void Capitalised_Mode_key_is_ignored_and_mode_is_missing()
    {
        var result = StsPolicyParser.Parse("version: STSv1\r\nMode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n");

        Assert.Null(result.Policy.Mode);
        Assert.False(result.Policy.IsUsable);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.PolicyMode, Severity.Error);
        Assert.Null(finding.Subject);
        Assert.Contains("\"Mode\"", finding.Message);
        Assert.Contains("case-sensitive", finding.Message);
        Assert.Equal("Change the line to \"mode: enforce\" (keys and values are case-sensitive).", finding.Fix);
        FindingAssert.None(result.Findings, FindingCodes.NoMx);
    }

    [Theory]
    [InlineData("report", "older drafts")]
    [InlineData("Enforce", "case-sensitive")]
    [InlineData("strict", "enforce, testing or none")]
    [InlineData("", "enforce, testing or none")]
    public void Invalid_mode_is_an_error(string mode, string expected)
    {
        var result = StsPolicyParser.Parse($"version: STSv1\nmode: {mode}\nmx: mail.example.com\nmax_age: 604800\n");

        Assert.Null(result.Policy.Mode);
        Assert.False(result.Policy.IsUsable);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.PolicyMode, Severity.Error, mode);
        Assert.Contains(expected, finding.Message);
        Assert.Equal("RFC 8461 §3.2", finding.Rfc);
    }

    [Fact]
    public void Report_mode_fix_suggests_testing()
    {
        var result = StsPolicyParser.Parse("version: STSv1\nmode: report\nmx: a.example\nmax_age: 604800\n");

        Assert.Contains("mode: testing", FindingAssert.Single(result.Findings, FindingCodes.PolicyMode, Severity.Error).Fix);
    }

    [Fact]
    public void Testing_mode_is_info_and_usable()
    {
        var result = StsPolicyParser.Parse("version: STSv1\nmode: testing\nmx: mail.example.com\nmax_age: 604800\n");

        Assert.Equal(StsMode.Testing, result.Policy.Mode);
        Assert.True(result.Policy.IsUsable);
        FindingAssert.Single(result.Findings, FindingCodes.ModeTesting, Severity.Info);
        FindingAssert.NoErrors(result.Findings);
    }

    [Fact]
    public void None_mode_without_mx_is_usable_with_warning()
    {
        var result = StsPolicyParser.Parse("version: STSv1\nmode: none\nmax_age: 86400\n");

        Assert.Equal(StsMode.None, result.Policy.Mode);
        Assert.Empty(result.Policy.Mx);
        Assert.True(result.Policy.IsUsable);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.ModeNone, Severity.Warning);
        Assert.Contains("withdrawn", finding.Message);
        FindingAssert.None(result.Findings, FindingCodes.NoMx);
    }

    [Theory]
    [InlineData("enforce")]
    [InlineData("testing")]
    public void Enforce_or_testing_without_mx_is_an_error(string mode)
    {
        var result = StsPolicyParser.Parse($"version: STSv1\nmode: {mode}\nmax_age: 604800\n");

        Assert.False(result.Policy.IsUsable);
        FindingAssert.Single(result.Findings, FindingCodes.NoMx, Severity.Error);
    }

    [Fact]
    public void Only_invalid_mx_values_make_the_policy_unusable()
    {
        var result = StsPolicyParser.Parse("version: STSv1\nmode: enforce\nmx: 192.0.2.1\nmax_age: 604800\n");

        Assert.False(result.Policy.IsUsable);
        Assert.Equal(["192.0.2.1"], result.Policy.Mx);
        FindingAssert.Single(result.Findings, FindingCodes.MxPatternInvalid, Severity.Error, "192.0.2.1");
        FindingAssert.Single(result.Findings, FindingCodes.NoMx, Severity.Error);
    }

    [Theory]
    [InlineData("192.0.2.1", "IP address")]
    [InlineData("[192.0.2.1]", "IP address")]
    [InlineData("2001:db8::1", "IP address")]
    [InlineData("mail.*.example.com", "left-most label")]
    [InlineData("*example.com", "left-most label")]
    [InlineData("*", "left-most label")]
    [InlineData("*.*.example.com", "left-most label")]
    [InlineData("mail.bücher.example", "A-labels")]
    [InlineData("mail..example.com", "empty label")]
    [InlineData("-mail.example.com", "'-'")]
    [InlineData("mail_1.example.com", "'_'")]
    public void Invalid_mx_value_is_an_error_but_valid_ones_still_count(string mx, string expected)
    {
        var result = StsPolicyParser.Parse($"version: STSv1\nmode: enforce\nmx: {mx}\nmx: mail.example.com\nmax_age: 604800\n");

        Assert.True(result.Policy.IsUsable);
        Assert.Equal([mx, "mail.example.com"], result.Policy.Mx);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.MxPatternInvalid, Severity.Error, mx);
        Assert.Contains(expected, finding.Message);
        FindingAssert.None(result.Findings, FindingCodes.NoMx);
    }

    [Fact]
    public void Empty_mx_value_is_invalid()
    {
        var result = StsPolicyParser.Parse("version: STSv1\nmode: enforce\nmx:\nmx: a.example.com\nmax_age: 604800\n");

        Assert.Equal(["", "a.example.com"], result.Policy.Mx);
        FindingAssert.Single(result.Findings, FindingCodes.MxPatternInvalid, Severity.Error, "");
    }

    [Fact]
    public void Trailing_dot_on_mx_is_a_warning_and_still_usable()
    {
        var result = StsPolicyParser.Parse("version: STSv1\nmode: enforce\nmx: mail.example.com.\nmax_age: 604800\n");

        Assert.True(result.Policy.IsUsable);
        Assert.Equal(["mail.example.com."], result.Policy.Mx);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.PolicyNonStandard, Severity.Warning, "mail.example.com.");
        Assert.Contains("mx: mail.example.com\"", finding.Fix);
        FindingAssert.NoErrors(result.Findings);
    }

    [Fact]
    public void Mixed_case_mx_is_kept_as_written_and_valid()
    {
        var result = StsPolicyParser.Parse("version: STSv1\nmode: enforce\nmx: Mail.Example.COM\nmx: *.MX.example.com\nmax_age: 604800\n");

        Assert.Equal(["Mail.Example.COM", "*.MX.example.com"], result.Policy.Mx);
        Assert.True(result.Policy.IsUsable);
        FindingAssert.NoErrors(result.Findings);
    }

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("86400", 86400L)]
    [InlineData("31557600", 31557600L)]
    [InlineData("0000086400", 86400L)]
    public void Valid_max_age_values(string value, long expected)
    {
        var result = StsPolicyParser.Parse($"version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: {value}\n");

        Assert.Equal(expected, result.Policy.MaxAge);
        Assert.True(result.Policy.IsUsable);
        FindingAssert.None(result.Findings, FindingCodes.PolicyMaxAge);
    }

    [Theory]
    [InlineData("+5", "sign")]
    [InlineData("-1", "sign")]
    [InlineData("1w", "only digits")]
    [InlineData("86400.0", "decimals")]
    [InlineData("31557601", "maximum")]
    [InlineData("10000000000", "11 digits")]
    [InlineData("", "empty")]
    [InlineData("1 2", "only digits")]
    public void Invalid_max_age_values(string value, string expected)
    {
        var result = StsPolicyParser.Parse($"version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: {value}\n");

        Assert.Null(result.Policy.MaxAge);
        Assert.False(result.Policy.IsUsable);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.PolicyMaxAge, Severity.Error, value);
        Assert.Contains(expected, finding.Message);
        FindingAssert.None(result.Findings, FindingCodes.MaxAgeLow);
    }

    [Fact]
    public void Ten_digit_max_age_within_range_is_accepted_but_eleven_is_not()
    {
        // 10 digits pass the length rule and fail only on the maximum; 11 fail on the length.
        var ten = StsPolicyParser.Parse("version: STSv1\nmode: none\nmax_age: 0031557600\n");
        var eleven = StsPolicyParser.Parse("version: STSv1\nmode: none\nmax_age: 00031557600\n");

        Assert.Equal(31557600, ten.Policy.MaxAge);
        Assert.Null(eleven.Policy.MaxAge);
        Assert.Contains("11 digits", FindingAssert.Single(eleven.Findings, FindingCodes.PolicyMaxAge, Severity.Error).Message);
    }

    [Theory]
    [InlineData("enforce", "0", Severity.Warning)]
    [InlineData("enforce", "3600", Severity.Warning)]
    [InlineData("testing", "86399", Severity.Warning)]
    [InlineData("none", "0", Severity.Info)]
    [InlineData("none", "300", Severity.Info)]
    public void Max_age_under_a_day_is_low(string mode, string maxAge, Severity severity)
    {
        var result = StsPolicyParser.Parse($"version: STSv1\nmode: {mode}\nmx: a.example.com\nmax_age: {maxAge}\n");

        Assert.True(result.Policy.IsUsable);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.MaxAgeLow, severity, maxAge);
        if (severity == Severity.Warning)
        {
            Assert.Contains("604800", finding.Message);
        }
    }

    [Fact]
    public void Max_age_of_a_day_is_not_low()
    {
        var result = StsPolicyParser.Parse("version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 86400\n");

        FindingAssert.None(result.Findings, FindingCodes.MaxAgeLow);
    }

    [Fact]
    public void Repeated_key_first_wins_with_warning()
    {
        var result = StsPolicyParser.Parse("version: STSv1\nmode: testing\nmode: enforce\nmx: a.example.com\nmax_age: 604800\nmax_age: 60\n");

        Assert.Equal(StsMode.Testing, result.Policy.Mode);
        Assert.Equal(604800, result.Policy.MaxAge);
        FindingAssert.Single(result.Findings.Where(f => f.Subject == "mode: enforce"), FindingCodes.PolicyNonStandard, Severity.Warning);
        FindingAssert.Single(result.Findings.Where(f => f.Subject == "max_age: 60"), FindingCodes.PolicyNonStandard, Severity.Warning);
        FindingAssert.None(result.Findings, FindingCodes.MaxAgeLow);
    }

    [Fact]
    public void Repeated_mx_is_normal()
    {
        var result = StsPolicyParser.Parse("version: STSv1\nmode: enforce\nmx: a.example.com\nmx: b.example.com\nmx: a.example.com\nmax_age: 604800\n");

        Assert.Equal(["a.example.com", "b.example.com", "a.example.com"], result.Policy.Mx);
        FindingAssert.None(result.Findings, FindingCodes.PolicyNonStandard);
    }

    [Theory]
    [InlineData("version: STSv1\n\nmode: enforce\nmx: a.example.com\nmax_age: 604800\n", "line 2")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 604800\n\n", "line 5")]
    [InlineData("\r\nversion: STSv1\r\nmode: enforce\r\nmx: a.example.com\r\nmax_age: 604800\r\n", "line 1")]
    [InlineData("version: STSv1\n  \nmode: enforce\nmx: a.example.com\nmax_age: 604800\n", "line 2")]
    public void Blank_lines_are_a_warning(string body, string where)
    {
        var result = StsPolicyParser.Parse(body);

        Assert.True(result.Policy.IsUsable);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.PolicyNonStandard, Severity.Warning);
        Assert.Contains(where, finding.Message);
        FindingAssert.NoErrors(result.Findings);
    }

    [Fact]
    public void Byte_order_mark_is_a_syntax_error_naming_line_one()
    {
        var result = StsPolicyParser.Parse("\uFEFF" + Good);

        var finding = FindingAssert.Single(result.Findings, FindingCodes.PolicySyntax, Severity.Error, "version: STSv1");
        Assert.Contains("Line 1", finding.Message);
        Assert.Contains("byte order mark", finding.Message);
        Assert.Equal("STSv1", result.Policy.Version);
    }

    [Fact]
    public void Bare_cr_is_a_syntax_error_with_line_number()
    {
        var result = StsPolicyParser.Parse("version: STSv1\r\nmode: enforce\rmx: a.example.com\r\nmax_age: 604800\r\n");

        var finding = FindingAssert.Single(result.Findings, FindingCodes.PolicySyntax, Severity.Error, "mode: enforce");
        Assert.Contains("Line 2", finding.Message);
        Assert.Contains("bare CR", finding.Message);
    }

    [Theory]
    [InlineData("mode: enforce\v", "U+000B")]
    [InlineData("mode: enforce\u2028", "U+2028")]
    [InlineData("mode:\0enforce", "U+0000")]
    public void Control_characters_are_syntax_errors(string line, string expected)
    {
        var result = StsPolicyParser.Parse($"version: STSv1\n{line}\nmx: a.example.com\nmax_age: 604800\n");

        var finding = FindingAssert.Single(result.Findings, FindingCodes.PolicySyntax, Severity.Error, line);
        Assert.Contains("Line 2", finding.Message);
        Assert.Contains(expected, finding.Message);
    }

    [Theory]
    [InlineData("this is not a field", "no ':'")]
    [InlineData("mode : enforce", "whitespace between the key \"mode\" and ':'")]
    [InlineData(" mode: enforce", "begins with whitespace")]
    [InlineData(": enforce", "no key")]
    [InlineData("_mode: enforce", "not a valid key")]
    [InlineData("<html>", "no ':'")]
    public void Lines_that_are_not_key_value_are_syntax_errors(string line, string expected)
    {
        var result = StsPolicyParser.Parse($"version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 604800\n{line}\n");

        var finding = FindingAssert.Single(result.Findings, FindingCodes.PolicySyntax, Severity.Error, line);
        Assert.Contains("Line 5", finding.Message);
        Assert.Contains(expected, finding.Message);
    }

    [Fact]
    public void Long_bad_line_subject_is_truncated()
    {
        var line = new string('x', 300);
        var result = StsPolicyParser.Parse($"version: STSv1\n{line}\n");

        var finding = FindingAssert.Single(result.Findings, FindingCodes.PolicySyntax, Severity.Error);
        Assert.True(finding.Subject!.Length <= 101, $"subject is {finding.Subject.Length} long");
        Assert.StartsWith("xxxx", finding.Subject);
    }

    [Fact]
    public void Unknown_keys_are_ignored()
    {
        var result = StsPolicyParser.Parse("version: STSv1\r\nmode: enforce\r\nmx: a.example.com\r\nmax_age: 604800\r\nx-note: hello: wörld\r\nExt.1: \r\n");

        Assert.True(result.Policy.IsUsable);
        FindingAssert.Empty(result.Findings);
    }

    [Fact]
    public void Missing_version_is_an_error()
    {
        var result = StsPolicyParser.Parse("mode: enforce\nmx: a.example.com\nmax_age: 604800\n");

        Assert.Null(result.Policy.Version);
        Assert.False(result.Policy.IsUsable);
        var finding = FindingAssert.Single(result.Findings, FindingCodes.PolicyVersion, Severity.Error);
        Assert.Null(finding.Subject);
    }

    [Theory]
    [InlineData("stsv1")]
    [InlineData("STSv2")]
    [InlineData("STSv1;")]
    public void Wrong_version_is_an_error_and_kept_as_written(string version)
    {
        var result = StsPolicyParser.Parse($"version: {version}\nmode: enforce\nmx: a.example.com\nmax_age: 604800\n");

        Assert.Equal(version, result.Policy.Version);
        Assert.False(result.Policy.IsUsable);
        FindingAssert.Single(result.Findings, FindingCodes.PolicyVersion, Severity.Error, version);
    }

    [Fact]
    public void Missing_max_age_is_an_error()
    {
        var result = StsPolicyParser.Parse("version: STSv1\nmode: enforce\nmx: a.example.com\n");

        Assert.Null(result.Policy.MaxAge);
        Assert.False(result.Policy.IsUsable);
        FindingAssert.Single(result.Findings, FindingCodes.PolicyMaxAge, Severity.Error);
    }

    [Fact]
    public void Empty_body_reports_every_required_field()
    {
        var result = StsPolicyParser.Parse("");

        Assert.False(result.Policy.IsUsable);
        FindingAssert.Single(result.Findings, FindingCodes.PolicyVersion, Severity.Error);
        FindingAssert.Single(result.Findings, FindingCodes.PolicyMode, Severity.Error);
        FindingAssert.Single(result.Findings, FindingCodes.PolicyMaxAge, Severity.Error);
    }

    [Fact]
    public void Key_order_is_free()
    {
        var result = StsPolicyParser.Parse("mx: a.example.com\nmax_age: 604800\nmode: enforce\nversion: STSv1\n");

        Assert.True(result.Policy.IsUsable);
        FindingAssert.NoErrors(result.Findings);
    }
}
