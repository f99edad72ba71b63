using System.Text.Json;
using MonitorService.Output;

namespace MonitorService.Cli.Bulk;

/// <summary>
/// <c>--format json</c> (one array of report objects, each as <c>check --format json</c> prints it) or
/// <c>--format jsonl</c> (one report object per line). Written as results arrive, so a long run streams.
/// An entry that is not a domain name becomes <c>{"domain", "status": "invalid", "source", "error"}</c> in its place.
/// </summary>
public sealed class JsonBulkWriter(TextWriter output, bool lines) : IBulkReportWriter
{
    private bool _first = true;

    public async Task WriteAsync(BulkResult result)
    {
        var options = lines ? ReportJson.LineOptions : ReportJson.Options;
        var json = result.Report is { } report
            ? JsonSerializer.Serialize(report, options)
            : JsonSerializer.Serialize(new { domain = result.Input.Text, status = result.Status, source = result.Input.Source, error = result.InvalidReason }, options);
        if (lines)
        {
            await output.WriteLineAsync(json).ConfigureAwait(false);
            return;
        }
        await output.WriteAsync(_first ? "[\n" : ",\n").ConfigureAwait(false);
        await output.WriteAsync(json).ConfigureAwait(false);
        _first = false;
    }

    public async Task FinishAsync()
    {
        if (!lines)
            await output.WriteLineAsync(_first ? "[]" : "\n]").ConfigureAwait(false);
    }
}
