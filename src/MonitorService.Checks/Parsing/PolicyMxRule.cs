using MonitorService.Checks.Model;

namespace MonitorService.Checks.Parsing;

/// <summary><c>mx</c> lines: each a valid pattern, at least one unless mode is none (RFC 8461 §3.2, §4.1).</summary>
internal static class PolicyMxRule
{
    public static (int ValidCount, List<Finding> Findings) Evaluate(IReadOnlyList<string> mx, StsMode? mode)
    {
        var findings = new List<Finding>();
        int valid = 0;
        foreach (var value in mx)
        {
            if (MxPatternSyntax.Problem(value) is { } problem)
            {
                findings.Add(PolicyFindings.Create(FindingCodes.MxPatternInvalid, Severity.Error, value,
                    $"The mx value \"{value}\" is not a valid pattern: {problem}. Senders cannot match any MX host against it.",
                    "Write each mx line as a host name (mail.example.com) or a wildcard for one label (*.example.com)."));
                continue;
            }

            valid++;
            if (value.EndsWith('.'))
            {
                findings.Add(PolicyFindings.Create(FindingCodes.PolicyNonStandard, Severity.Warning, value,
                    $"The mx value \"{value}\" ends with a dot. Matching ignores it, but the RFC 8461 examples have none and some validators reject it.",
                    $"Write \"mx: {value[..^1]}\"."));
            }
        }

        if (valid == 0 && mode is StsMode.Enforce or StsMode.Testing)
        {
            var message = mx.Count == 0
                ? $"The policy has no mx line, but mode {StsPolicy.ModeName(mode.Value)} needs at least one: senders reject the policy."
                : $"None of the {mx.Count} mx lines is a valid pattern, but mode {StsPolicy.ModeName(mode.Value)} needs at least one: senders reject the policy.";
            findings.Add(PolicyFindings.Create(FindingCodes.NoMx, Severity.Error, null, message,
                "Add one \"mx:\" line per MX host or pattern, such as \"mx: mail.example.com\"."));
        }

        return (valid, findings);
    }
}
