using MonitorService.Checks.Model;

namespace MonitorService.Checks.Parsing;

/// <summary>Reads <c>key ":" *WSP value *WSP</c> lines (RFC 8461 §3.2), reporting lines that are not.</summary>
internal static class PolicyLineParser
{
    public static (List<PolicyField> Fields, List<Finding> Findings) Parse(IReadOnlyList<PolicyLine> lines)
    {
        var fields = new List<PolicyField>();
        var findings = new List<Finding>();

        var blank = lines.Where(l => l.IsBlank).Select(l => l.Number).ToList();
        if (blank.Count > 0)
        {
            findings.Add(PolicyFindings.Create(FindingCodes.PolicyNonStandard, Severity.Warning, null,
                $"The policy has blank lines (line {string.Join(", ", blank)}). The RFC 8461 ABNF allows none except the final line ending, and some validators stop reading at a blank line.",
                "Remove the blank lines."));
        }

        foreach (var line in lines.Where(l => !l.IsBlank))
        {
            if (ControlCharacter(line.Text) is { } control)
            {
                findings.Add(PolicyFindings.Syntax(line, $"the line contains {AbnfChars.Describe(control)}, which is not allowed in a policy.",
                    "Remove the character; save the file as plain text."));
                continue;
            }

            if (SyntaxProblem(line.Text) is { } problem)
            {
                findings.Add(PolicyFindings.Syntax(line, problem, "Write each line as key: value, such as \"mode: enforce\"."));
                continue;
            }

            int colon = line.Text.IndexOf(':');
            fields.Add(new PolicyField(line.Text[..colon], AbnfChars.TrimWsp(line.Text[(colon + 1)..]), line));
        }

        return (fields, findings);
    }

    /// <summary>
    /// Control and separator characters that split or hide content differently per sender. UTF-8 text is fine in
    /// extension values (RFC 8461 §3.2), so only these are singled out.
    /// </summary>
    private static char? ControlCharacter(string text) =>
        text.Select(c => (char?)c).FirstOrDefault(c =>
            c is < ' ' and not '\t' or (char)0x7F or '\u0085' or '\u2028' or '\u2029' or '\uFEFF');

    private static string? SyntaxProblem(string text)
    {
        int colon = text.IndexOf(':');
        if (colon < 0)
        {
            return "the line is not \"key: value\" (there is no ':').";
        }

        var key = text[..colon];
        if (key.Length == 0)
        {
            return "the line has no key before ':'.";
        }

        if (AbnfChars.IsWsp(key[0]))
        {
            return "the line begins with whitespace; the key must start the line.";
        }

        if (AbnfChars.IsWsp(key[^1]))
        {
            return $"there is whitespace between the key \"{key.TrimEnd(' ', '\t')}\" and ':'.";
        }

        return AbnfChars.IsExtensionName(key)
            ? null
            : $"\"{key}\" is not a valid key: keys are 1-32 letters, digits, '_', '-' or '.', starting with a letter or digit.";
    }
}
