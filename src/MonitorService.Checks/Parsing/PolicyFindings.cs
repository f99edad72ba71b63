using MonitorService.Checks.Model;

namespace MonitorService.Checks.Parsing;

/// <summary>Builds policy findings, so every one carries the same RFC reference.</summary>
internal static class PolicyFindings
{
    public const string Rfc = "RFC 8461 §3.2";

    public static Finding Create(string code, Severity severity, string? subject, string message, string? fix = null) =>
        new(code, severity, subject, message, Rfc, fix);

    public static Finding Syntax(PolicyLine line, string message, string? fix = null) =>
        Create(FindingCodes.PolicySyntax, Severity.Error, line.Subject, $"Line {line.Number}: {message}", fix);
}
