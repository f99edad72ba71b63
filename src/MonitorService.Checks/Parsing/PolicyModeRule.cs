using MonitorService.Checks.Model;

namespace MonitorService.Checks.Parsing;

/// <summary><c>mode</c>: one of enforce, testing, none, required and case-sensitive.</summary>
internal static class PolicyModeRule
{
    public static (StsMode? Mode, List<Finding> Findings) Evaluate(PolicyField? field, IReadOnlyList<PolicyField> all)
    {
        if (field is null)
        {
            var variant = PolicyKeyHint.CaseVariant(all, "mode");
            var fix = variant is null
                ? "Add the line \"mode: enforce\" (or \"mode: testing\" while you check reports)."
                : $"Change the line to \"mode: {SuggestedValue(variant.Value)}\" (keys and values are case-sensitive).";
            return (null, [Error(null, PolicyKeyHint.MissingMessage(all, "mode") + " Senders reject a policy without a mode.", fix)]);
        }

        StsMode? mode = field.Value switch
        {
            "enforce" => StsMode.Enforce,
            "testing" => StsMode.Testing,
            "none" => StsMode.None,
            _ => null,
        };

        return mode switch
        {
            StsMode.Testing => (mode, [PolicyFindings.Create(FindingCodes.ModeTesting, Severity.Info, field.Value,
                "The policy is in testing mode: senders report TLS problems but still deliver. It protects nothing until mode is enforce.",
                "When TLS-RPT reports are clean, change the line to \"mode: enforce\" and change the TXT id.")]),
            StsMode.None => (mode, [PolicyFindings.Create(FindingCodes.ModeNone, Severity.Warning, field.Value,
                "The policy is withdrawn (mode none): senders do not apply MTA-STS to this domain.",
                "If this is not a planned removal, change the line to \"mode: enforce\" and change the TXT id.")]),
            StsMode.Enforce => (mode, []),
            _ => (null, [Error(field.Value, InvalidMessage(field.Value), $"Change the line to \"mode: {SuggestedValue(field.Value)}\" (keys and values are case-sensitive).")]),
        };
    }

    private static string InvalidMessage(string value)
    {
        const string valid = "mode must be exactly enforce, testing or none";
        if (value == "report")
        {
            return $"mode \"report\" comes from older drafts of MTA-STS and is not valid: {valid}. Senders reject the policy.";
        }

        bool caseOnly = value.ToLowerInvariant() is "enforce" or "testing" or "none";
        return caseOnly
            ? $"mode \"{value}\" is not valid: {valid}, and values are case-sensitive. Senders reject the policy."
            : $"mode \"{value}\" is not valid: {valid}. Senders reject the policy.";
    }

    /// <summary>The valid mode the admin most likely meant.</summary>
    private static string SuggestedValue(string value) => value.ToLowerInvariant() switch
    {
        "testing" or "report" => "testing",
        "none" => "none",
        _ => "enforce",
    };

    private static Finding Error(string? subject, string message, string fix) =>
        PolicyFindings.Create(FindingCodes.PolicyMode, Severity.Error, subject, message, fix);
}
