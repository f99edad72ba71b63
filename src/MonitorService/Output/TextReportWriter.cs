using MonitorService.Checks.Model;

namespace MonitorService.Output;

/// <summary>
/// The report for people: a summary, the records, the MX table, then findings grouped by severity with message,
/// RFC section and fix. Attacker-controlled text is stripped of control characters so it cannot drive the terminal.
/// </summary>
public sealed class TextReportWriter(TextWriter output, bool colour)
{
    private const string Red = "\u001b[31m", Yellow = "\u001b[33m", Cyan = "\u001b[36m", Green = "\u001b[32m", Bold = "\u001b[1m", Reset = "\u001b[0m";

    public void Write(CheckReport report)
    {
        var status = report.Status;
        output.WriteLine($"{Paint(Bold, Safe(report.Domain))}  {Paint(StatusColour(status), status.ToUpperInvariant())}  checked {report.CheckedAt:yyyy-MM-dd HH:mm:ss} UTC");
        output.WriteLine();
        WriteRecords(report);
        WriteMx(report);
        WriteFindings(report.Findings);
    }

    private void WriteRecords(CheckReport report)
    {
        Row("MTA-STS TXT", report.Txt.Records.Count == 0 ? Safe(report.Txt.LookupError ?? "(none)") : string.Join(" | ", report.Txt.Records.Select(Safe)));
        if (report.Policy is { } p)
        {
            Row("Policy", $"{Safe(p.Url)}  {(p.HttpStatus is { } s ? $"HTTP {s}" : Safe(p.Error ?? ""))}");
            if (p.Mode is not null)
                Row("", $"mode {p.Mode}, max_age {p.MaxAge}, mx {string.Join(", ", p.Mx.Select(Safe))}");
        }
        else
        {
            Row("Policy", "(not fetched)");
        }
        Row("TLS-RPT", report.TlsRpt switch
        {
            null => "(none)",
            { LookupError: { } error } => Safe(error),
            var t => string.Join(" | ", t.Records.Select(Safe)),
        });
        if (report.Dnssec is { } dnssec)
            Row("DNSSEC", DnssecSummary(dnssec));
        output.WriteLine();
    }

    /// <summary>"6 secure", or the counts with the answers that are not secure named: "4 secure, 2 bogus (example.com MX, ...)".</summary>
    private static string DnssecSummary(IReadOnlyList<DnssecNameReport> answers) =>
        string.Join(", ", answers.GroupBy(a => a.Status).Select(g => g.Key == "secure"
            ? $"{g.Count()} secure"
            : $"{g.Count()} {g.Key} ({string.Join(", ", g.Select(a => $"{Safe(a.Name)} {a.Type}"))})"));

    private void WriteMx(CheckReport report)
    {
        if (report.Mx.Count == 0)
            return;
        var hostWidth = Math.Min(50, report.Mx.Max(m => m.Host.Length));
        output.WriteLine(Paint(Bold, $"{"PREF",4}  {"MX HOST".PadRight(hostWidth)}  {"COVERED BY",-22}  TLS"));
        foreach (var mx in report.Mx)
        {
            var covered = mx.Covered switch { true => Safe(mx.CoveredBy ?? ""), false => "NOT COVERED", null => "-" };
            var tls = mx.Tls switch
            {
                null => "-",
                { Starttls: true, Protocol: not null } t => $"{t.Protocol}, cert until {t.Certificate?.NotAfter:yyyy-MM-dd}",
                { Connected: false } => "unreachable",
                { Starttls: false } => "no STARTTLS",
                _ => "TLS failed",
            };
            var alias = mx.Cname is null ? "" : $" -> {Safe(mx.Cname)}";
            var dane = mx.Dane is null ? "" : $", DANE {mx.Dane.Status}";
            output.WriteLine($"{mx.Preference,4}  {Safe(mx.Host).PadRight(hostWidth)}  {covered,-22}  {tls}{dane}{alias}");
        }
        output.WriteLine();
    }

    /// <summary>Findings grouped by severity, worst first, each with its message, RFC section and fix.</summary>
    public void WriteFindings(IReadOnlyList<Finding> findings)
    {
        if (findings.Count == 0)
        {
            output.WriteLine(Paint(Green, "No findings: everything an enforcing sender checks is in order."));
            return;
        }
        foreach (var group in findings.GroupBy(f => f.Severity).OrderByDescending(g => g.Key))
        {
            output.WriteLine(Paint(Bold + SeverityColour(group.Key), $"{Title(group.Key)} ({group.Count()})"));
            foreach (var f in group)
            {
                output.WriteLine($"  {Paint(SeverityColour(f.Severity), f.Code)}{(f.Subject is null ? "" : $"  {Safe(f.Subject)}")}  [{f.Rfc}]");
                output.WriteLine($"    {Safe(f.Message)}");
                if (f.Fix is not null)
                {
                    output.WriteLine("    Fix:");
                    foreach (var line in f.Fix.Split('\n'))
                        output.WriteLine($"      {Safe(line)}");
                }
            }
            output.WriteLine();
        }
    }

    private void Row(string label, string value) => output.WriteLine($"{label,-12} {value}");

    private string Paint(string code, string text) => colour ? code + text + Reset : text;

    private static string Title(Severity s) => s switch { Severity.Error => "Errors", Severity.Warning => "Warnings", _ => "Information" };

    private static string SeverityColour(Severity s) => s switch { Severity.Error => Red, Severity.Warning => Yellow, _ => Cyan };

    private static string StatusColour(string status) => status switch { "error" => Red, "warning" => Yellow, _ => Green };

    /// <summary>Replaces control characters (escape sequences included) with U+FFFD so published text cannot drive the terminal.</summary>
    public static string Safe(string text) =>
        string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
                span[i] = char.IsControl(source[i]) ? '\uFFFD' : source[i];
        });
}
