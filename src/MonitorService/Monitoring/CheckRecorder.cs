using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorService.Checks.Model;
using MonitorService.Monitoring.Drift;
using MonitorService.Storage;
using MonitorService.Storage.Snapshots;
using MonitorService.Storage.Entities;

namespace MonitorService.Monitoring;

/// <summary>
/// Records one check of one domain in a single transaction: the observation timeline (new snapshots only when
/// something changed), drift events against the last known state and the policy history, and incidents. A
/// per-domain advisory lock serialises concurrent recorders of the same domain (a scheduled check and a "check now").
/// </summary>
public sealed class CheckRecorder(
    IDbContextFactory<MonitorDbContext> dbFactory,
    IOptions<MonitoringOptions> options,
    IEnumerable<ICheckRecordingHook> hooks,
    ILogger<CheckRecorder> logger)
{
    public async Task<MonitoredCheckResult?> RecordAsync(Guid domainId, CheckSnapshot snapshot, CancellationToken ct)
    {
        var now = snapshot.Report.CheckedAt;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey(domainId)})", ct);

        var domain = await db.Domains.FirstOrDefaultAsync(d => d.Id == domainId, ct);
        if (domain is null)
            return null;

        var current = domain.CurrentObservationId is { } currentId ? await db.Observations.FindAsync([currentId], ct) : null;
        var (observation, changed) = current?.StateHash == snapshot.StateHash
            ? (Extend(domain, current), false)
            : (await StartObservationAsync(db, domain, current, snapshot, now, ct), true);

        var policyFailures = snapshot.PolicyFetchFailed ? domain.ConsecutivePolicyFailures + 1 : 0;
        // Drift needs a change, or a failing policy fetch to count: an unchanged, healthy check (the common case)
        // skips the history queries altogether.
        var events = changed || policyFailures > 0
            ? await DetectDriftAsync(db, domain, snapshot, changed ? observation.Id : null, policyFailures, now, ct)
            : [];
        db.DriftEvents.AddRange(events.Select(e => new DriftEventRecord
        {
            DomainId = domain.Id, Code = e.Code, Severity = e.Severity.Name(), Subject = e.Subject,
            Message = e.Message, Fix = e.Fix, Until = e.Until, DetectedAt = now,
            FromObservationId = changed ? current?.Id : observation.Id, ToObservationId = observation.Id,
        }));

        var active = await db.Incidents.Where(i => i.DomainId == domain.Id && i.ClosedAt == null).ToListAsync(ct);
        var incidents = IncidentRules.Reconcile(domain.Id, active, snapshot.Report.Findings, now, domain.LastCheckedAt,
            options.Value.ConfirmationChecks);
        db.Incidents.AddRange(incidents.Created);
        db.Incidents.RemoveRange(incidents.Discarded);

        domain.Status = IncidentRules.StatusOf(active.Concat(incidents.Created));
        domain.LastCheckedAt = now;
        domain.ConsecutivePolicyFailures = policyFailures;

        var retryAt = incidents.AwaitingConfirmation ? now + options.Value.RetryDelay : (DateTimeOffset?)null;
        var result = new MonitoredCheckResult(domain.Id, domain.Name, snapshot.Report, events, incidents, changed, retryAt);
        foreach (var hook in hooks)
            await hook.OnRecordingAsync(db, domain, result, ct);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);

        logger.Checked(domain.Name, domain.Status, snapshot.Report.Findings.Count, events.Count, changed ? "changed" : "unchanged");
        return result;
    }

    /// <summary>Nothing changed: only the domain row moves (its last check, below, and the open observation's count).</summary>
    private static Observation Extend(MonitoredDomain domain, Observation current)
    {
        domain.CurrentObservationChecks++;
        return current;
    }

    /// <summary>Closes the open observation at the previous check and opens one for this state.</summary>
    private static async Task<Observation> StartObservationAsync(MonitorDbContext db, MonitoredDomain domain, Observation? current, CheckSnapshot snapshot,
        DateTimeOffset now, CancellationToken ct)
    {
        if (current is not null)
        {
            var end = OpenObservationEnd.Of(domain);
            current.LastSeenAt = current.LastSeen(end);
            current.CheckCount = current.Checks(end);
        }
        var ids = await SnapshotStore.StoreAsync(db, snapshot.Parts.OfType<SnapshotPart>(), now, ct);
        long? IdOf(SnapshotPart? part) => part is null ? null : ids[SnapshotStore.Key(part)];
        var observation = new Observation
        {
            DomainId = domain.Id,
            FirstSeenAt = now,
            StateHash = snapshot.StateHash,
            MxSnapshotId = IdOf(snapshot.Mx),
            TxtSnapshotId = IdOf(snapshot.Txt),
            TxtId = snapshot.TxtId,
            PolicySnapshotId = IdOf(snapshot.Policy),
            PolicyValid = snapshot.PolicyValid,
            PolicyFetchFailed = snapshot.PolicyFetchFailed,
            TlsRptSnapshotId = IdOf(snapshot.TlsRpt),
            CertificatesSnapshotId = IdOf(snapshot.Certificates),
            ReportSnapshotId = IdOf(snapshot.ReportPart)!.Value,
        };
        db.Observations.Add(observation);
        await db.SaveChangesAsync(ct);
        domain.CurrentObservationId = observation.Id;
        domain.CurrentObservationChecks = 1;
        return observation;
    }

    private async Task<IReadOnlyList<DriftEvent>> DetectDriftAsync(MonitorDbContext db, MonitoredDomain domain, CheckSnapshot snapshot,
        long? newObservationId, int policyFailures, DateTimeOffset now, CancellationToken ct)
    {
        var previous = await DomainHistoryReader.PreviousStateAsync(db, domain.Id, newObservationId, ct);
        // The open observation is this check's state (new or extended), seen now.
        var history = await DomainHistoryReader.PolicyHistoryAsync(db, domain.Id, new OpenObservationEnd(now, domain.CurrentObservationChecks), ct);
        return DriftDetector.Detect(new DriftInput(domain.Name, previous, snapshot.ToDomainState(), history, policyFailures, options.Value.ConfirmationChecks, now));
    }

    /// <summary>
    /// A stable 64-bit key per domain for pg_advisory_xact_lock. Whoever rewrites a domain's timeline (the recorder,
    /// retention) takes it, so neither sees the other's half-done work.
    /// </summary>
    internal static long LockKey(Guid domainId) => BitConverter.ToInt64(domainId.ToByteArray(), 0);
}
