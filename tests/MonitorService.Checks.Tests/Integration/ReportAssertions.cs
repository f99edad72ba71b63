using MonitorService.Checks.Model;

namespace MonitorService.Checks.Tests.Integration;

internal static class ReportAssertions
{
    public static Finding Single(this CheckReport report, string code, string? subject = null)
    {
        var matches = report.Findings.Where(f => f.Code == code && (subject is null || f.Subject == subject)).ToList();
        Assert.True(matches.Count == 1, $"expected one {code}{(subject is null ? "" : $" for {subject}")}, got {matches.Count}. Findings:\n{Describe(report)}");
        return matches[0];
    }

    public static void Lacks(this CheckReport report, string code) =>
        Assert.False(report.Findings.Any(f => f.Code == code), $"did not expect {code}. Findings:\n{Describe(report)}");

    public static void HasNoProblems(this CheckReport report) =>
        Assert.True(report.Findings.All(f => f.Severity == Severity.Info), $"expected no warnings or errors. Findings:\n{Describe(report)}");

    public static string Describe(CheckReport report) =>
        string.Join("\n", report.Findings.Select(f => $"  {f.Severity} {f.Code} [{f.Subject}] {f.Message}"));
}
