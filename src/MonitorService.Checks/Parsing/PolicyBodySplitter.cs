using MonitorService.Checks.Model;

namespace MonitorService.Checks.Parsing;

/// <summary>
/// Cuts a policy body into lines. The ABNF terminator is <c>LF / CRLF</c>; anything else that could end or hide
/// inside a line (bare CR, BOM, other control characters) is an error, because senders split such bodies differently.
/// </summary>
internal static class PolicyBodySplitter
{
    private const char ByteOrderMark = '\uFEFF';

    public static (List<PolicyLine> Lines, List<Finding> Findings) Split(string body)
    {
        var findings = new List<Finding>();
        var lines = new List<PolicyLine>();
        var bareCrLines = new List<int>();
        int lfOnly = 0, crlf = 0;
        bool startsWithBom = body.StartsWith(ByteOrderMark);
        var text = startsWithBom ? body[1..] : body;

        var current = new System.Text.StringBuilder();
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n')
            {
                lfOnly++;
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                crlf++;
                i++;
            }
            else if (c == '\r')
            {
                // Treated as a line break so the rest of the body is still checked, but reported: some senders don't.
                bareCrLines.Add(lines.Count + 1);
            }
            else
            {
                current.Append(c);
                continue;
            }

            lines.Add(new PolicyLine(lines.Count + 1, current.ToString()));
            current.Clear();
        }

        // A body may end without a terminator; the final terminator itself does not open an (empty) line.
        if (current.Length > 0)
        {
            lines.Add(new PolicyLine(lines.Count + 1, current.ToString()));
        }

        if (startsWithBom)
        {
            var first = lines.Count > 0 ? lines[0] : new PolicyLine(1, "");
            findings.Add(PolicyFindings.Syntax(first,
                "the policy begins with a byte order mark (U+FEFF). Strict senders then fail to read the first key.",
                "Save the file as plain ASCII or UTF-8 without a BOM."));
        }

        foreach (var number in bareCrLines)
        {
            findings.Add(PolicyFindings.Syntax(lines[number - 1],
                "the line ends with a bare CR (carriage return without line feed). Lines must end with CRLF or LF.",
                "Save the file with LF or CRLF line endings."));
        }

        if (lfOnly > 0)
        {
            var message = crlf > 0
                ? "The policy mixes CRLF and LF-only line endings. Both are allowed by the RFC 8461 ABNF and accepted by senders."
                : "The policy uses LF line endings. The RFC 8461 prose says CRLF, but the ABNF allows LF and senders accept it.";
            findings.Add(PolicyFindings.Create(FindingCodes.PolicyLineEndings, Severity.Info, null, message));
        }

        return (lines, findings);
    }
}
