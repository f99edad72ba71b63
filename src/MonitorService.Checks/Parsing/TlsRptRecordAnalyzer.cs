using MonitorService.Checks.Model;

namespace MonitorService.Checks.Parsing;

/// <summary>Applies RFC 8460 §3 to the TXT records found at <c>_smtp._tls.&lt;domain&gt;</c>.</summary>
public static class TlsRptRecordAnalyzer
{
    private const string VersionField = "v=TLSRPTv1";
    private const string Rfc = "RFC 8460 §3";
    private const string Fix = "Publish exactly one TXT record at _smtp._tls.<your domain>: \"v=TLSRPTv1; rua=mailto:tlsrpt@<your domain>\".";

    /// <param name="records">Each TXT record of the RRset, its strings already joined without spaces.</param>
    public static TlsRptAnalysis Analyze(IReadOnlyList<string> records)
    {
        var rptRecords = records.Where(r => r.StartsWith(VersionField, StringComparison.Ordinal)).ToList();

        if (rptRecords.Count > 1)
        {
            return new TlsRptAnalysis(rptRecords, [], [new Finding(
                FindingCodes.TlsRptMultiple, Severity.Error, string.Join(" | ", rptRecords),
                $"There are {rptRecords.Count} TXT records beginning with v=TLSRPTv1. With more than one, reporters treat the domain as not implementing TLS-RPT and send no reports.",
                Rfc, "Delete all but one record; list every address in a single rua=, separated by commas.")]);
        }

        if (rptRecords.Count == 0)
        {
            return new TlsRptAnalysis(rptRecords, [], FindingsWithoutRecord(records));
        }

        var (rua, findings) = AnalyzeSingle(rptRecords[0]);
        return new TlsRptAnalysis(rptRecords, rua, findings);
    }

    private static List<Finding> FindingsWithoutRecord(IReadOnlyList<string> records)
    {
        var misplaced = records.Where(r => VersionPlacement.MentionsVersionElsewhere(r, VersionField)).ToList();
        if (misplaced.Count == 0)
        {
            return [new Finding(FindingCodes.TlsRptMissing, Severity.Warning, null,
                "No TLS-RPT record (v=TLSRPTv1) was found at _smtp._tls: senders cannot report TLS or MTA-STS failures to you, so problems go unnoticed.",
                Rfc, "Publish a TXT record at _smtp._tls.<your domain>: \"v=TLSRPTv1; rua=mailto:tlsrpt@<your domain>\".")];
        }

        return misplaced.Select(r => Invalid(r, r, [VersionPlacement.Problem(r, VersionField)])).ToList();
    }

    private static (List<string> Rua, List<Finding> Findings) AnalyzeSingle(string record)
    {
        var tokens = TxtRecordTokenizer.Tokenize(record, VersionField);
        var problems = new List<string>(tokens.Problems);
        var findings = new List<Finding>();
        var rua = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { "v" };
        bool hasRua = false;

        foreach (var field in tokens.Fields)
        {
            if (!seen.Add(field.Name))
            {
                // As for MTA-STS, the first occurrence wins; nothing in RFC 8460 says otherwise.
                continue;
            }

            if (field.Name == "rua")
            {
                hasRua = true;
                ReadRua(field.Value, record, rua, problems, findings);
            }
            else if (ExtensionFieldRules.Problem(field) is { } extensionProblem)
            {
                problems.Add(extensionProblem);
            }
        }

        if (!hasRua)
        {
            problems.Add("the record has no rua field, which is required" + ExtensionFieldRules.CaseVariantHint(tokens.Fields, "rua"));
        }

        if (problems.Count > 0)
        {
            // Reporters ignore a malformed record as a whole, so none of its addresses would receive reports.
            findings.Insert(0, Invalid(record, record, problems));
            rua.Clear();
        }

        return (rua, findings);
    }

    /// <summary><c>tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)</c>: spaces around commas are valid.</summary>
    private static void ReadRua(string value, string record, List<string> rua, List<string> problems, List<Finding> findings)
    {
        foreach (var uri in value.Split(',').Select(AbnfChars.TrimWsp))
        {
            if (uri.Length == 0)
            {
                problems.Add("rua has an empty entry (a comma with no URI before or after it)");
                continue;
            }

            var problem = TlsRptUriRules.Problem(uri, out bool isSchemeProblem);
            if (problem is null)
            {
                rua.Add(uri);
            }
            else if (isSchemeProblem)
            {
                // A URI of another scheme is well-formed; reporters skip it but may use the others.
                findings.Add(Invalid(uri, record, [problem]));
            }
            else
            {
                problems.Add(problem);
            }
        }
    }

    private static Finding Invalid(string subject, string record, IEnumerable<string> problems) => new(
        FindingCodes.TlsRptInvalid, Severity.Error, subject,
        subject == record
            ? $"Invalid TLS-RPT record: {string.Join("; ", problems)}. Reporters ignore an invalid record, so no reports arrive."
            : Capitalize(string.Join("; ", problems)) + ".",
        Rfc, Fix);

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
