using MonitorService.Output;
using static MonitorService.Output.TextReportWriter;

namespace MonitorService.Cli.Bulk;

/// <summary>
/// Text mode with several domains: each report as a single check prints it, then one summary table so the outcome
/// of a long run fits on a screen. Domain names and invalid entries come from the input or from DNS, so they go
/// through <see cref="TextReportWriter.Safe"/> like every other untrusted text.
/// </summary>
public sealed class TextBulkWriter(TextWriter output, bool colour) : IBulkReportWriter
{
    private const int MaxDomainWidth = 50;
    private readonly List<(string Domain, string Status, int Errors, int Warnings)> _rows = [];
    private readonly TextReportWriter _reports = new(output, colour);

    public async Task WriteAsync(BulkResult result)
    {
        if (result.Report is { } report)
            _reports.Write(report);
        else
            await output.WriteLineAsync($"{result.Input.Source}: '{Safe(result.Input.Text)}' is not checked: {Safe(result.InvalidReason ?? "")}.").ConfigureAwait(false);
        await output.WriteLineAsync(new string('-', 72)).ConfigureAwait(false);
        _rows.Add((Safe(result.Domain), result.Status, result.Count(Checks.Model.Severity.Error), result.Count(Checks.Model.Severity.Warning)));
    }

    public async Task FinishAsync()
    {
        var width = Math.Clamp(_rows.Count == 0 ? 6 : _rows.Max(r => r.Domain.Length), 6, MaxDomainWidth);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync($"{"DOMAIN".PadRight(width)}  {"STATUS",-7}  {"ERRORS",6}  {"WARNINGS",8}").ConfigureAwait(false);
        foreach (var (domain, status, errors, warnings) in _rows)
            await output.WriteLineAsync($"{domain.PadRight(width)}  {status.ToUpperInvariant(),-7}  {errors,6}  {warnings,8}").ConfigureAwait(false);
        var totals = _rows.GroupBy(r => r.Status).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}");
        await output.WriteLineAsync($"{_rows.Count} entries: {string.Join(", ", totals)}").ConfigureAwait(false);
    }
}
