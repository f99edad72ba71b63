using MonitorService.Checks.Model;

namespace MonitorService.Cli.Bulk;

/// <summary>One entry's outcome: a report, or why the entry was not a domain name (then nothing was checked).</summary>
public sealed record BulkResult(CheckInput Input, CheckReport? Report, string? InvalidReason)
{
    public const string InvalidStatus = "invalid";

    public string Domain => Report?.Domain ?? Input.Text;

    public string Status => Report?.Status ?? InvalidStatus;

    /// <summary>
    /// Invalid entries count as a usage error (64), the worst status: the list itself is wrong and needs fixing, which
    /// outranks any finding about a domain that was checked.
    /// </summary>
    public int ExitCode => Report is null ? ExitCodes.Usage : Report.HasErrors ? ExitCodes.FindingsWithErrors : ExitCodes.Ok;

    public int Count(Severity severity) => Report?.Findings.Count(f => f.Severity == severity) ?? 0;
}
