using MonitorService.Checks.Model;

namespace MonitorService.Checks.Parsing;

/// <summary>Parses an MTA-STS policy body (RFC 8461 §3.2).</summary>
public static class StsPolicyParser
{
    private const string MxKey = "mx";

    public static StsPolicyParseResult Parse(string body)
    {
        var (lines, findings) = PolicyBodySplitter.Split(body);
        var (fields, lineFindings) = PolicyLineParser.Parse(lines);
        findings.AddRange(lineFindings);

        var first = FirstOccurrences(fields, findings);

        var (versionValid, versionFindings) = PolicyVersionRule.Evaluate(first.GetValueOrDefault("version"), fields);
        var (mode, modeFindings) = PolicyModeRule.Evaluate(first.GetValueOrDefault("mode"), fields);
        var (maxAge, maxAgeFindings) = PolicyMaxAgeRule.Evaluate(first.GetValueOrDefault("max_age"), fields);
        var mx = fields.Where(f => f.Key == MxKey).Select(f => f.Value).ToList();
        var (validMx, mxFindings) = PolicyMxRule.Evaluate(mx, mode);

        findings.AddRange(versionFindings);
        findings.AddRange(modeFindings);
        findings.AddRange(maxAgeFindings);
        if (maxAge is { } seconds && PolicyMaxAgeRule.LowValueFinding(seconds, mode) is { } low)
        {
            findings.Add(low);
        }
        findings.AddRange(mxFindings);

        bool usable = versionValid && mode is not null && maxAge is not null && (mode == StsMode.None || validMx > 0);
        var policy = new StsPolicy(first.GetValueOrDefault("version")?.Value, mode, maxAge, mx, usable);
        return new StsPolicyParseResult(policy, findings);
    }

    /// <summary>
    /// The first occurrence of every key except mx. Senders disagree on repeated keys; first-wins is the common
    /// reading, and the repeat is flagged so the admin removes the ambiguity.
    /// </summary>
    private static Dictionary<string, PolicyField> FirstOccurrences(IEnumerable<PolicyField> fields, List<Finding> findings)
    {
        var first = new Dictionary<string, PolicyField>(StringComparer.Ordinal);
        foreach (var field in fields.Where(f => f.Key != MxKey))
        {
            if (first.TryGetValue(field.Key, out var kept))
            {
                findings.Add(PolicyFindings.Create(FindingCodes.PolicyNonStandard, Severity.Warning, field.Line.Subject,
                    $"The key \"{field.Key}\" appears again on line {field.Line.Number}; the first occurrence (line {kept.Line.Number}) is used and this one is ignored. Senders may disagree.",
                    $"Keep a single \"{field.Key}\" line."));
                continue;
            }

            first.Add(field.Key, field);
        }

        return first;
    }
}
