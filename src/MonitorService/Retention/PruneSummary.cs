namespace MonitorService.Retention;

/// <summary>What one prune deleted; <see cref="Cutoff"/> is the oldest end of history kept (now minus Retention:Days).</summary>
public sealed record PruneSummary(
    DateTimeOffset Cutoff,
    long Observations,
    long Snapshots,
    long DriftEvents,
    long Incidents,
    long OutboxMessages,
    long DeliveryAttempts,
    long TlsRptReports = 0,
    long TlsRptRejected = 0)
{
    public long Total => Observations + Snapshots + DriftEvents + Incidents + OutboxMessages + DeliveryAttempts + TlsRptReports + TlsRptRejected;
}
