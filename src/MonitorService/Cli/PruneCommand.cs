using MonitorService.Retention;

namespace MonitorService.Cli;

/// <summary><c>MonitorService prune</c>: delete history older than Retention:Days now, as the daily job does.</summary>
public static class PruneCommand
{
    public const string Usage = """
        Usage:
          MonitorService prune    delete history older than Retention:Days (default 400) now, as the clustered job does every
                                  Retention:Interval: delivered or failed mail and its attempts, closed incidents, drift events,
                                  observations and unreferenced snapshots. What drift detection still needs is kept.
                                  TLS-RPT reports and refused reports received more than Retention:TlsRptDays ago.
        """;

    public static async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken ct)
    {
        if (args.Count > 0 && args[0] is "--help" or "-h" or "help")
        {
            await context.Stdout.WriteLineAsync(Usage);
            return ExitCodes.Ok;
        }
        if (args.Count > 0)
            throw new UsageException($"prune takes no arguments ('{args[0]}' given).\n\n{Usage}");
        await using var host = await context.StartHostAsync(ct);
        var run = await host.Services.GetRequiredService<RetentionPruner>().PruneAsync(ct);
        await context.Stdout.WriteLineAsync(
            $"Pruned history that ended before {run.Cutoff:yyyy-MM-dd HH:mm} UTC: {run.Observations} observations, {run.Snapshots} snapshots, " +
            $"{run.DriftEvents} drift events, {run.Incidents} closed incidents, {run.OutboxMessages} mails, {run.DeliveryAttempts} delivery attempts, " +
            $"{run.TlsRptReports} TLS-RPT reports and {run.TlsRptRejected} refused ones (older than Retention:TlsRptDays).");
        return ExitCodes.Ok;
    }
}
