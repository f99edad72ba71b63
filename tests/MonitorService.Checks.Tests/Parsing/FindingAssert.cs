using MonitorService.Checks.Model;

namespace MonitorService.Checks.Tests.Parsing;

/// <summary>Assertions that name the finding looked for, so a failure says which code was missing or extra.</summary>
internal static class FindingAssert
{
    public static Finding Single(IEnumerable<Finding> findings, string code, Severity severity, string? subject = null)
    {
        var matching = findings.Where(f => f.Code == code).ToList();
        Assert.True(matching.Count == 1, $"expected one {code}, got {matching.Count}: {Describe(findings)}");
        var finding = matching[0];
        Assert.Equal(severity, finding.Severity);
        if (subject is not null)
        {
            Assert.Equal(subject, finding.Subject);
        }
        return finding;
    }

    public static void None(IEnumerable<Finding> findings, string code) =>
        Assert.False(findings.Any(f => f.Code == code), $"expected no {code}: {Describe(findings)}");

    public static void Empty(IEnumerable<Finding> findings) =>
        Assert.True(!findings.Any(), $"expected no findings: {Describe(findings)}");

    public static void NoErrors(IEnumerable<Finding> findings) =>
        Assert.False(findings.Any(f => f.Severity == Severity.Error), $"expected no errors: {Describe(findings)}");

    private static string Describe(IEnumerable<Finding> findings) =>
        string.Join(" | ", findings.Select(f => $"{f.Code}/{f.Severity}/{f.Subject}: {f.Message}"));
}
