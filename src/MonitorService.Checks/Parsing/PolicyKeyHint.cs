namespace MonitorService.Checks.Parsing;

/// <summary>
/// Keys are case-sensitive (<c>%s</c> in the ABNF), so <c>Mode: enforce</c> is an unknown key and <c>mode</c> is
/// missing. Saying so in the finding saves the admin from staring at a line that looks right.
/// </summary>
internal static class PolicyKeyHint
{
    public static PolicyField? CaseVariant(IEnumerable<PolicyField> fields, string key) =>
        fields.FirstOrDefault(f => f.Key != key && string.Equals(f.Key, key, StringComparison.OrdinalIgnoreCase));

    public static string MissingMessage(IEnumerable<PolicyField> fields, string key)
    {
        var variant = CaseVariant(fields, key);
        return variant is null
            ? $"The policy has no \"{key}\" line."
            : $"The policy has no \"{key}\" line. A key \"{variant.Key}\" exists (line {variant.Line.Number}), but keys are case-sensitive, so senders ignore it.";
    }
}
