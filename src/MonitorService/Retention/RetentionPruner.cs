using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorService.Storage;

namespace MonitorService.Retention;

/// <summary>
/// Deletes history older than Retention:Days: delivered or failed mail with its attempts, closed incidents, drift
/// events, observations (keeping what drift detection still reads, see <see cref="ObservationKeepRules"/>), then the
/// snapshots no observation refers to any more. Every step deletes in batches of Retention:BatchSize rows, one
/// transaction each, so it can run beside checks on a large database and can stop anywhere: the next run goes on.
/// </summary>
public sealed class RetentionPruner(
    IDbContextFactory<MonitorDbContext> dbFactory,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionPruner> logger)
{
    public async Task<PruneSummary> PruneAsync(CancellationToken ct)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var cutoff = now - settings.Period;
        var started = time.GetTimestamp();
        logger.LogInformation("Pruning history that ended before {Cutoff:o} (Retention:Days {Days})", cutoff, settings.Days);

        var (messages, attempts) = await OutboxPruning.PruneAsync(dbFactory, cutoff, settings.BatchSize, ct);
        var incidents = await HistoryPruning.PruneIncidentsAsync(dbFactory, cutoff, settings.BatchSize, ct);
        // Events before observations: a remaining event keeps the observations it refers to.
        var events = await HistoryPruning.PruneDriftEventsAsync(dbFactory, now, cutoff, settings.BatchSize, ct);
        var observations = await ObservationPruning.PruneAsync(dbFactory, now, cutoff, settings.BatchSize, ct);
        var snapshots = await SnapshotPruning.PruneAsync(dbFactory, settings.BatchSize, ct);

        var (tlsRptReports, tlsRptRejected) = await TlsRptPruning.PruneAsync(dbFactory, now - settings.TlsRptPeriod, settings.BatchSize, ct);

        var summary = new PruneSummary(cutoff, observations, snapshots, events, incidents, messages, attempts, tlsRptReports, tlsRptRejected);
        logger.LogInformation(
            "Pruned history before {Cutoff:o}: {Observations} observations, {Snapshots} snapshots, {DriftEvents} drift events, " +
            "{Incidents} closed incidents, {OutboxMessages} mails, {DeliveryAttempts} delivery attempts, " +
            "{TlsRptReports} TLS-RPT reports and {TlsRptRejected} refused ones (Retention:TlsRptDays {TlsRptDays}) in {ElapsedSeconds:0.0} s",
            cutoff, observations, snapshots, events, incidents, messages, attempts, tlsRptReports, tlsRptRejected, settings.TlsRptDays, time.GetElapsedTime(started).TotalSeconds);
        return summary;
    }
}
