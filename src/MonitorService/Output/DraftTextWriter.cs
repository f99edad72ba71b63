using MonitorService.Checks.Drafts;

namespace MonitorService.Output;

/// <summary>A dry run for people: what is published, what the draft is, how the MX set is covered, then the findings.</summary>
public sealed class DraftTextWriter(TextWriter output, bool colour)
{
    public void Write(DraftReport report)
    {
        output.WriteLine($"Dry run for {TextReportWriter.Safe(report.Domain)}: {report.Status.ToUpperInvariant()} (nothing was published or stored)");
        output.WriteLine();
        var p = report.Published;
        output.WriteLine($"{"Published",-12} id {TextReportWriter.Safe(p.TxtId ?? "(no valid record)")}; " +
                         (p.Mode is null ? "no usable policy" : $"mode {p.Mode}, max_age {p.MaxAge}, mx {Hosts(p.Mx)}") + $"; MX {Hosts(p.MxHosts)}");
        output.WriteLine($"{"Draft",-12} " + (report.Draft is not { } d ? "(none: the published policy is evaluated)"
            : $"mode {d.Mode ?? "(invalid)"}, max_age {d.MaxAge?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(invalid)"}, mx {Hosts(d.Mx)}{(d.Usable ? "" : "  NOT VALID: senders would ignore it")}"));
        if (report.TxtRecord is { } record)
            output.WriteLine($"{"New id",-12} needed: after the draft is served, publish {TextReportWriter.Safe(record)}");
        output.WriteLine();
        if (report.Mx.Count > 0)
        {
            var width = Math.Min(50, report.Mx.Max(m => m.Host.Length));
            output.WriteLine($"{"PREF",4}  {"MX HOST".PadRight(width)}  {"COVERED BY",-22}  SET");
            foreach (var mx in report.Mx)
            {
                var covered = mx.Covered switch { true => TextReportWriter.Safe(mx.CoveredBy ?? ""), false => "NOT COVERED", null => "-" };
                output.WriteLine($"{mx.Preference,4}  {TextReportWriter.Safe(mx.Host).PadRight(width)}  {covered,-22}  {(mx.Hypothetical ? "hypothetical" : "live")}");
            }
            output.WriteLine();
        }
        new TextReportWriter(output, colour).WriteFindings(report.Findings);
    }

    private static string Hosts(IReadOnlyList<string> hosts) => hosts.Count == 0 ? "(none)" : string.Join(", ", hosts.Select(TextReportWriter.Safe));
}
