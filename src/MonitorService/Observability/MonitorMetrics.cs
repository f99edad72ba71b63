using System.Diagnostics.Metrics;
using MonitorService.Checks.Model;

namespace MonitorService.Observability;

/// <summary>
/// The service's metrics (OpenTelemetry, scraped at <c>/metrics</c> in Prometheus format). One instance per process;
/// instruments are created once and shared.
/// </summary>
public sealed class MonitorMetrics : IDisposable
{
    public const string MeterName = "MonitorService";

    private readonly Meter _meter;
    private readonly Counter<long> _checks;
    private readonly Histogram<double> _checkDuration;
    private readonly Counter<long> _findings;
    private readonly Counter<long> _misfires;
    private readonly Histogram<double> _dispatchLag;
    private readonly Counter<long> _mailAttempts;
    private readonly Counter<long> _tlsRptReports;
    private long _openIncidents;
    private long _outboxBacklog;

    public MonitorMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _checks = _meter.CreateCounter<long>("monitor.checks", "{check}", "Checks run, by result status and trigger");
        _checkDuration = _meter.CreateHistogram<double>("monitor.check.duration", "s", "Time of one check (network and analysis)");
        _findings = _meter.CreateCounter<long>("monitor.findings", "{finding}", "Findings reported by checks, by code and severity");
        _misfires = _meter.CreateCounter<long>("monitor.scheduler.misfires", "{trigger}", "Scheduled checks that missed their time");
        _dispatchLag = _meter.CreateHistogram<double>("monitor.scheduler.lag", "s", "How late a scheduled check started after its scheduled time");
        _mailAttempts = _meter.CreateCounter<long>("monitor.mail.attempts", "{attempt}", "Mail delivery attempts, by outcome (sent, transient, permanent)");
        _tlsRptReports = _meter.CreateCounter<long>("monitor.tlsrpt.reports", "{report}", "TLS-RPT reports received, by source (https, imap, import) and outcome");
        _meter.CreateObservableGauge("monitor.outbox.backlog", () => Interlocked.Read(ref _outboxBacklog), "{message}", "Mail queued or being sent");
        _meter.CreateObservableGauge("monitor.incidents.open", () => Interlocked.Read(ref _openIncidents), "{incident}", "Open (confirmed) incidents across all domains");
    }

    public Meter Meter => _meter;

    public void CheckCompleted(CheckReport report, string trigger, TimeSpan duration)
    {
        _checks.Add(1, new("status", report.Status), new("trigger", trigger));
        _checkDuration.Record(duration.TotalSeconds);
        foreach (var finding in report.Findings)
            _findings.Add(1, new("code", finding.Code), new("severity", finding.Severity.Name()));
    }

    public void TriggerMisfired() => _misfires.Add(1);

    public void TriggerFired(TimeSpan lag) => _dispatchLag.Record(Math.Max(0, lag.TotalSeconds));

    public void SetOpenIncidents(long count) => Interlocked.Exchange(ref _openIncidents, count);

    public void SetOutboxBacklog(long count) => Interlocked.Exchange(ref _outboxBacklog, count);

    /// <summary>One delivery attempt; "transient" and "permanent" are the delivery failures.</summary>
    public void MailAttempted(string outcome) => _mailAttempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>One report (or message) handed to the TLS-RPT intake: source https, imap or import; outcome Stored, Duplicate, NotOurs, NoReport or Invalid.</summary>
    public void TlsRptReceived(string source, string outcome) =>
        _tlsRptReports.Add(1, new KeyValuePair<string, object?>("source", source), new KeyValuePair<string, object?>("outcome", outcome));

    public void Dispose() => _meter.Dispose();
}
