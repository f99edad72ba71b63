using MonitorService.Checks.Model;

namespace MonitorService.Checks.Parsing;

/// <summary><c>version: STSv1</c>, required and case-sensitive.</summary>
internal static class PolicyVersionRule
{
    public const string Expected = "STSv1";
    private const string Fix = "Add the line \"version: STSv1\" (keys and values are case-sensitive).";

    public static (bool IsValid, List<Finding> Findings) Evaluate(PolicyField? field, IReadOnlyList<PolicyField> all)
    {
        if (field is null)
        {
            return (false, [PolicyFindings.Create(FindingCodes.PolicyVersion, Severity.Error, null,
                PolicyKeyHint.MissingMessage(all, "version") + " Senders reject a policy without \"version: STSv1\".", Fix)]);
        }

        if (field.Value == Expected)
        {
            return (true, []);
        }

        return (false, [PolicyFindings.Create(FindingCodes.PolicyVersion, Severity.Error, field.Value,
            $"version is \"{field.Value}\" but must be exactly \"STSv1\" (case-sensitive); senders reject the policy.",
            "Change the line to \"version: STSv1\".")]);
    }
}
