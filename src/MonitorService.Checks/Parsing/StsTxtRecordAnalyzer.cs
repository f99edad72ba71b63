using MonitorService.Checks.Model;

namespace MonitorService.Checks.Parsing;

/// <summary>Applies RFC 8461 §3.1 to the TXT records found at <c>_mta-sts.&lt;domain&gt;</c>.</summary>
public static class StsTxtRecordAnalyzer
{
    private const string VersionField = "v=STSv1";
    private const string Rfc = "RFC 8461 §3.1";
    private const int MaxIdLength = 32;
    private const string Fix = "Publish exactly one TXT record at _mta-sts.<your domain>: \"v=STSv1; id=20260101T000000\" (change the id whenever the policy changes).";

    /// <param name="records">Each TXT record of the RRset, its strings already joined without spaces.</param>
    public static StsTxtAnalysis Analyze(IReadOnlyList<string> records)
    {
        // §3.1: records that do not begin with v=STSv1 are discarded first, so v=spf1 and friends never matter.
        var stsRecords = records.Where(r => r.StartsWith(VersionField, StringComparison.Ordinal)).ToList();

        if (stsRecords.Count > 1)
        {
            return new StsTxtAnalysis(stsRecords, null, [new Finding(
                FindingCodes.MtaStsTxtMultiple, Severity.Error, string.Join(" | ", stsRecords),
                $"There are {stsRecords.Count} TXT records beginning with v=STSv1. With more than one, senders treat the domain as having no MTA-STS policy.",
                Rfc, "Delete all but one of the v=STSv1 records.")]);
        }

        if (stsRecords.Count == 0)
        {
            return new StsTxtAnalysis(stsRecords, null, FindingsWithoutStsRecord(records));
        }

        var (id, findings) = AnalyzeSingle(stsRecords[0]);
        return new StsTxtAnalysis(stsRecords, id, findings);
    }

    private static List<Finding> FindingsWithoutStsRecord(IReadOnlyList<string> records)
    {
        var misplaced = records.Where(r => VersionPlacement.MentionsVersionElsewhere(r, VersionField)).ToList();
        if (misplaced.Count == 0)
        {
            return [new Finding(FindingCodes.MtaStsTxtMissing, Severity.Error, null,
                "No TXT record beginning with v=STSv1 was found at _mta-sts: senders do not look for an MTA-STS policy.",
                Rfc, Fix)];
        }

        return misplaced.Select(r => Invalid(r, [VersionPlacement.Problem(r, VersionField)])).ToList();
    }

    private static (string? Id, List<Finding> Findings) AnalyzeSingle(string record)
    {
        var tokens = TxtRecordTokenizer.Tokenize(record, VersionField);
        var problems = new List<string>(tokens.Problems);
        var findings = new List<Finding>();

        // The version counts as a field, so a second "v=" is a repeat like any other.
        var seen = new HashSet<string>(StringComparer.Ordinal) { "v" };
        var repeated = new List<string>();
        string? id = null;
        bool hasId = false;

        foreach (var field in tokens.Fields)
        {
            if (!seen.Add(field.Name))
            {
                // RFC 8461 §3.2 (applied to the record as mox does): the first occurrence wins.
                repeated.Add(field.Name);
                continue;
            }

            if (field.Name == "id")
            {
                hasId = true;
                var idProblem = IdProblem(field.Value);
                if (idProblem is null)
                {
                    id = field.Value;
                }
                else
                {
                    problems.Add(idProblem);
                }
            }
            else if (ExtensionFieldRules.Problem(field) is { } extensionProblem)
            {
                problems.Add(extensionProblem);
            }
        }

        if (!hasId)
        {
            problems.Add("the record has no id field" + ExtensionFieldRules.CaseVariantHint(tokens.Fields, "id"));
        }

        if (problems.Count > 0)
        {
            findings.Add(Invalid(record, problems));
            id = null;
        }

        if (tokens.WhitespaceBeforeFirstDelimiter)
        {
            findings.Add(NonStandard(record,
                "The record has whitespace before the first ';'. That is valid by the RFC 8461 ABNF, but some senders drop records that do not begin exactly with \"v=STSv1;\".",
                "Write the record without spaces before ';', such as \"v=STSv1; id=...\"."));
        }

        if (tokens.TrailingWhitespace)
        {
            findings.Add(NonStandard(record,
                "The record ends with whitespace, which the RFC 8461 ABNF does not allow; strict senders may reject it.",
                "Remove the trailing whitespace."));
        }

        foreach (var name in repeated.Distinct())
        {
            findings.Add(NonStandard(record,
                $"The field \"{name}\" appears more than once. The first occurrence is used; senders may disagree.",
                $"Keep a single \"{name}\" field."));
        }

        return (id, findings);
    }

    /// <summary><c>sts-id = %s"id=" 1*32(ALPHA / DIGIT)</c>.</summary>
    private static string? IdProblem(string value)
    {
        const string rule = "ids are 1-32 letters or digits";
        if (value.Length == 0)
        {
            return $"id is empty: {rule}";
        }

        var bad = value.Select(c => (char?)c).FirstOrDefault(c => !AbnfChars.IsAlphaDigit(c!.Value));
        if (bad is { } c)
        {
            return $"id \"{value}\" contains {AbnfChars.Describe(c)}: {rule}";
        }

        return value.Length > MaxIdLength ? $"id \"{value}\" is {value.Length} characters long: {rule}" : null;
    }

    private static Finding Invalid(string record, IEnumerable<string> problems) => new(
        FindingCodes.MtaStsTxtInvalid, Severity.Error, record,
        $"Invalid MTA-STS TXT record: {string.Join("; ", problems)}. Senders ignore an invalid record, so the domain has no MTA-STS policy.",
        Rfc, Fix);

    private static Finding NonStandard(string record, string message, string fix) =>
        new(FindingCodes.MtaStsTxtNonStandard, Severity.Warning, record, message, Rfc, fix);
}
