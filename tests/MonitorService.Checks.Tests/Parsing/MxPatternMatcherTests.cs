using MonitorService.Checks.Parsing;

namespace MonitorService.Checks.Tests.Parsing;

public class MxPatternMatcherTests
{
    [Theory]
    [InlineData("mail.example.com", "mail.example.com", true)]
    [InlineData("mail.example.com", "MAIL.Example.com", true)]
    [InlineData("Mail.Example.COM", "mail.example.com", true)]
    [InlineData("mail.example.com.", "mail.example.com", true)]
    [InlineData("mail.example.com", "mail.example.com.", true)]
    [InlineData("*.example.com", "mail.example.com", true)]
    [InlineData("*.example.com", "MX1.EXAMPLE.COM.", true)]
    [InlineData("*.example.com.", "mx1.example.com", true)]
    [InlineData("*.example.com", "example.com", false)]
    [InlineData("*.example.com", "a.b.example.com", false)]
    [InlineData("*.example.com", "mail.example.com.evil.net", false)]
    [InlineData("*.example.com", "mailexample.com", false)]
    [InlineData("*.example.com", ".example.com", false)]
    [InlineData("mail.example.com", "mail.example.com.evil.net", false)]
    [InlineData("mail.example.com", "evilmail.example.com", false)]
    [InlineData("mail.example.com", "other.example.com", false)]
    [InlineData("*.mx.microsoft", "x.h-v1.mx.microsoft", false)]
    [InlineData("*.mx.microsoft", "h-v1.mx.microsoft", true)]
    [InlineData("*.b.example.com", "a.b.example.com", true)]
    [InlineData("*.a.b.c.example.com", "x.a.b.c.example.com", true)]
    [InlineData("*.a.b.c.example.com", "a.b.c.example.com", false)]
    [InlineData("mail.example.com", "", false)]
    public void Matches_follows_rfc_8461_section_4_1(string pattern, string host, bool expected)
    {
        Assert.Equal(expected, MxPatternMatcher.Matches(pattern, host));
    }

    [Theory]
    [InlineData("mail.*.example.com", "mail.x.example.com")]
    [InlineData("*example.com", "mailexample.com")]
    [InlineData("*example.com", "example.com")]
    [InlineData("*", "mail")]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("", "")]
    [InlineData("mail..example.com", "mail..example.com")]
    public void Invalid_patterns_never_match(string pattern, string host)
    {
        Assert.False(MxPatternMatcher.IsValidPattern(pattern));
        Assert.False(MxPatternMatcher.Matches(pattern, host));
    }

    [Theory]
    [InlineData("mail.example.com", true)]
    [InlineData("*.example.com", true)]
    [InlineData("mail.example.com.", true)]
    [InlineData("MAIL.EXAMPLE.COM", true)]
    [InlineData("xn--bcher-kva.example", true)]
    [InlineData("mx-1.example.com", true)]
    [InlineData("localhost", true)]
    [InlineData("*.com", true)]
    [InlineData("", false)]
    [InlineData("*", false)]
    [InlineData("*.", false)]
    [InlineData("**.example.com", false)]
    [InlineData("*.*.example.com", false)]
    [InlineData("mail.*.example.com", false)]
    [InlineData("*example.com", false)]
    [InlineData("mail.example.*", false)]
    [InlineData("192.0.2.1", false)]
    [InlineData("[192.0.2.1]", false)]
    [InlineData("2001:db8::1", false)]
    [InlineData("mail.bücher.example", false)]
    [InlineData("mail..example.com", false)]
    [InlineData(".example.com", false)]
    [InlineData("mail.example.com..", false)]
    [InlineData("-mail.example.com", false)]
    [InlineData("mail-.example.com", false)]
    [InlineData("mail_x.example.com", false)]
    [InlineData("mail example.com", false)]
    [InlineData("mail.example.123", false)]
    public void IsValidPattern(string pattern, bool expected)
    {
        Assert.Equal(expected, MxPatternMatcher.IsValidPattern(pattern));
    }

    [Fact]
    public void Overlong_labels_and_names_are_invalid()
    {
        Assert.True(MxPatternMatcher.IsValidPattern(new string('a', 63) + ".example.com"));
        Assert.False(MxPatternMatcher.IsValidPattern(new string('a', 64) + ".example.com"));
        var longName = string.Join('.', Enumerable.Repeat(new string('a', 62), 5));
        Assert.False(MxPatternMatcher.IsValidPattern(longName));
    }

    [Fact]
    public void FindCoveringPattern_returns_first_valid_match_as_written()
    {
        string[] patterns = ["mail.*.example.com", "other.example.com", "*.Example.com.", "mail.example.com"];

        Assert.Equal("*.Example.com.", MxPatternMatcher.FindCoveringPattern(patterns, "MAIL.example.com"));
        Assert.Null(MxPatternMatcher.FindCoveringPattern(patterns, "a.b.example.com"));
        Assert.Null(MxPatternMatcher.FindCoveringPattern([], "mail.example.com"));
    }

    [Theory]
    [InlineData("Mail.Example.COM.", "mail.example.com")]
    [InlineData("mail.example.com", "mail.example.com")]
    [InlineData("MX", "mx")]
    public void NormalizeHost_lowercases_and_drops_trailing_dot(string host, string expected)
    {
        Assert.Equal(expected, MxPatternMatcher.NormalizeHost(host));
    }
}
