using Microsoft.Extensions.Options;
using MimeKit;
using MonitorService.Accounts;
using MonitorService.Storage.Entities;
using MonitorService.TlsRpt;
using MonitorService.TlsRpt.Intake;

namespace MonitorService.Cli;

/// <summary><c>MonitorService tlsrpt import PATH...</c>: backfill and support cases, through the same intake as HTTPS and the mailbox.</summary>
public static class TlsRptCommand
{
    public const string Usage = """
        Usage:
          MonitorService tlsrpt import [--team T] PATH...
                                                 import TLS-RPT reports: .json and .json.gz reports (gzip is told by its
                                                 content, not its name), .eml messages, and folders of them (recursively).
                                                 Each is stored once (a report imported twice, or also received over HTTPS
                                                 or the mailbox, is a duplicate), only when it is about a registered domain;
                                                 what cannot be parsed is kept with the reason for administrators.
                                                 --team T: as if sent to team T's own report address (shown to T only);
                                                 without it, as if sent to the shared address (shown while the domain is
                                                 registered by one team only), unless a message was addressed to a team.
                                                 Prints what became of each file and a summary; exit 1 when any was invalid.
        """;

    private static readonly string[] Extensions = [".json", ".json.gz", ".gz", ".eml"];

    public static async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken ct)
    {
        if (args.Count == 0 || args[0] is "--help" or "-h" or "help")
        {
            await context.Stdout.WriteLineAsync(Usage);
            return args.Count == 0 ? ExitCodes.Usage : ExitCodes.Ok;
        }
        if (args[0] != "import")
            throw new UsageException($"Unknown tlsrpt command '{args[0]}'.\n\n{Usage}");
        string? teamName = null;
        var paths = new List<string>();
        var reader = new ArgumentReader(args.Skip(1).ToList());
        while (reader.TryNext(out var arg, out var inline))
        {
            if (arg == "--team")
                teamName = reader.Value(arg, inline);
            else if (arg.StartsWith("--", StringComparison.Ordinal))
                throw new UsageException($"Unexpected option '{arg}' for tlsrpt import.\n\n{Usage}");
            else
                paths.Add(arg);
        }
        if (paths.Count == 0)
            throw new UsageException($"tlsrpt import needs at least one file or folder.\n\n{Usage}");
        var missing = paths.Where(p => !File.Exists(p) && !Directory.Exists(p)).ToList();
        if (missing.Count > 0)
            throw new UsageException($"No such file or folder: {string.Join(", ", missing)}");

        await using var host = await context.StartHostAsync(ct);
        string? teamKey = null;
        if (teamName is not null)
        {
            teamKey = (await host.Services.GetRequiredService<UserDirectory>().FindTeamAsync(teamName, ct)
                ?? throw new UsageException($"There is no team '{teamName}'.")).TlsRptKey;
        }
        var intake = host.Services.GetRequiredService<ITlsRptIntake>();
        var maxReportBytes = host.Services.GetRequiredService<IOptions<TlsRptIntakeOptions>>().Value.MaxReportBytes;
        var counts = new Dictionary<TlsRptIntakeOutcome, int>();
        var files = 0;
        foreach (var file in paths.SelectMany(Expand))
        {
            var result = await ImportAsync(intake, file, teamKey, maxReportBytes, ct);
            counts[result.Outcome] = counts.GetValueOrDefault(result.Outcome) + 1;
            files++;
            await context.Stdout.WriteLineAsync($"{file}: {Describe(result)}");
        }
        int Count(TlsRptIntakeOutcome outcome) => counts.GetValueOrDefault(outcome);
        await context.Stdout.WriteLineAsync(
            $"{files} files: {Count(TlsRptIntakeOutcome.Stored)} stored, {Count(TlsRptIntakeOutcome.Duplicate)} duplicates, " +
            $"{Count(TlsRptIntakeOutcome.NotOurs)} not about a registered domain, {Count(TlsRptIntakeOutcome.NoReport)} without a report, " +
            $"{Count(TlsRptIntakeOutcome.Invalid)} invalid.");
        return Count(TlsRptIntakeOutcome.Invalid) > 0 ? ExitCodes.SomeInputInvalid : ExitCodes.Ok;
    }

    /// <summary>A file as given; a folder's report and message files, recursively, in name order.</summary>
    private static IEnumerable<string> Expand(string path) =>
        File.Exists(path)
            ? [path]
            : Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => Extensions.Any(e => f.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
                .Order(StringComparer.Ordinal);

    private static async Task<TlsRptIntakeResult> ImportAsync(ITlsRptIntake intake, string file, string? teamKey, long maxReportBytes, CancellationToken ct)
    {
        var origin = new TlsRptOrigin(TlsRptSources.Import, Path.GetFullPath(file), teamKey);
        if (file.EndsWith(".eml", StringComparison.OrdinalIgnoreCase))
        {
            // A message carries its report base64-encoded (4/3 of its size) beside headers and text.
            if (new FileInfo(file).Length > maxReportBytes * 2)
                return new TlsRptIntakeResult(TlsRptIntakeOutcome.Invalid, $"The message is larger than {maxReportBytes * 2} bytes (twice TlsRpt:MaxReportBytes); not read.");
            await using var stream = File.OpenRead(file);
            MimeMessage message;
            try
            {
                message = await MimeMessage.LoadAsync(stream, ct);
            }
            catch (FormatException e)
            {
                return new TlsRptIntakeResult(TlsRptIntakeOutcome.Invalid, $"Not a mail message: {e.Message}");
            }
            return await intake.AcceptMessageAsync(message, origin, ct);
        }
        // One byte over the cap is enough for the intake to refuse it as too large.
        await using var input = File.OpenRead(file);
        var bytes = new byte[Math.Min(input.Length, maxReportBytes + 1)];
        await input.ReadExactlyAsync(bytes, ct);
        return await intake.AcceptReportAsync(bytes, origin, ct);
    }

    private static string Describe(TlsRptIntakeResult result) => result.Outcome switch
    {
        TlsRptIntakeOutcome.Stored => $"stored (report {result.StoredReportId})" + (result.Reason is null ? "" : $"; {result.Reason}"),
        TlsRptIntakeOutcome.Duplicate => "duplicate, stored before",
        TlsRptIntakeOutcome.NotOurs => $"not stored: {result.Reason}",
        TlsRptIntakeOutcome.NoReport => $"no report: {result.Reason}",
        TlsRptIntakeOutcome.UnknownAddress => $"not stored: {result.Reason}",
        _ => $"invalid: {result.Reason}",
    };
}
