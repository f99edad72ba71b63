namespace MonitorService.Checks.Parsing;

/// <summary>
/// The <c>mx</c> value grammar of RFC 8461 §3.2: <c>["*."] Domain</c> with Domain from RFC 5321 (A-labels only).
/// </summary>
internal static class MxPatternSyntax
{
    private const int MaxDomainLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>What is wrong with <paramref name="pattern"/>, or null when it is a valid pattern.</summary>
    /// <remarks>One trailing dot is tolerated here: matching ignores it; the policy parser warns about it.</remarks>
    public static string? Problem(string pattern)
    {
        if (pattern.Length == 0)
        {
            return "the mx value is empty";
        }

        if (pattern.Any(c => c > 0x7F))
        {
            return "the mx value contains non-ASCII characters: internationalized names must be written as A-labels (xn--...)";
        }

        if (pattern.StartsWith('[') || System.Net.IPAddress.TryParse(pattern.TrimEnd('.'), out _))
        {
            return "the mx value is an IP address: mx patterns must be host names";
        }

        var domain = pattern.EndsWith('.') ? pattern[..^1] : pattern;
        if (domain.StartsWith("*.", StringComparison.Ordinal))
        {
            domain = domain[2..];
        }

        if (domain.Contains('*'))
        {
            return "'*' is only allowed as the whole left-most label, as in *.example.com";
        }

        if (domain.Length == 0)
        {
            return "the mx value has no host name";
        }

        if (domain.Length > MaxDomainLength)
        {
            return $"the host name is longer than {MaxDomainLength} characters";
        }

        var labels = domain.Split('.');
        foreach (var label in labels)
        {
            if (LabelProblem(label) is { } problem)
            {
                return problem;
            }
        }

        // No top-level domain is all digits; a numeric last label means an address in disguise (such as 10.1.2.3.4).
        return labels[^1].All(AbnfChars.IsDigit) ? "the last label is all digits, so this is not a host name" : null;
    }

    /// <summary>RFC 5321 <c>sub-domain = Let-dig [Ldh-str]</c>, at most 63 characters.</summary>
    private static string? LabelProblem(string label)
    {
        if (label.Length == 0)
        {
            return "the host name has an empty label (two dots in a row, or a leading dot)";
        }

        if (label.Length > MaxLabelLength)
        {
            return $"the label \"{label}\" is longer than {MaxLabelLength} characters";
        }

        var bad = label.Select(c => (char?)c).FirstOrDefault(c => !AbnfChars.IsAlphaDigit(c!.Value) && c != '-');
        if (bad is { } c)
        {
            return $"the label \"{label}\" contains {AbnfChars.Describe(c)}: labels are letters, digits and '-'";
        }

        return label[0] == '-' || label[^1] == '-' ? $"the label \"{label}\" begins or ends with '-'" : null;
    }
}
