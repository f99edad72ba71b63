using MonitorService.Checks.Model;

namespace MonitorService.Checks.Tests.Model;

public class DomainNameTests
{
    [Theory]
    [InlineData("Example.COM", "example.com")]
    [InlineData("example.com.", "example.com")]
    [InlineData("  mail.example.org ", "mail.example.org")]
    [InlineData("bücher.example", "xn--bcher-kva.example")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    public void Normalises_to_lower_case_a_labels_without_trailing_dot(string input, string expected)
    {
        Assert.True(DomainName.TryNormalize(input, out var normalized, out var error), error);
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("localhost", "single label")]
    [InlineData("https://example.com/", "not a domain name")]
    [InlineData("user@example.com", "not a domain name")]
    [InlineData("192.0.2.1", "IP address")]
    [InlineData("-bad.example.com", "hyphen")]
    [InlineData("a..b.com", "not a valid domain name")]
    [InlineData("exa_mple.com", "not a valid domain name")]
    public void Refuses_what_is_not_a_mail_domain_with_a_reason(string input, string reason)
    {
        Assert.False(DomainName.TryNormalize(input, out _, out var error));
        Assert.Contains(reason, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Refuses_a_label_longer_than_63_characters()
    {
        Assert.False(DomainName.TryNormalize(new string('a', 64) + ".com", out _, out var error));
        Assert.Contains("1-63", error, StringComparison.Ordinal);
    }
}
