using Quartz;

namespace MonitorService.TlsRpt.Alerts;

/// <summary>
/// Runs <see cref="TlsRptAlertEvaluator"/> every TlsRpt:Alerts:Interval: one durable job in the clustered scheduler,
/// never two runs at once in the cluster (and the database keys make even that harmless).
/// </summary>
[DisallowConcurrentExecution]
public sealed class TlsRptAlertJob(TlsRptAlertEvaluator evaluator, ILogger<TlsRptAlertJob> logger) : IJob
{
    public static readonly JobKey Key = new("tlsrpt-alerts", "tlsrpt");
    public static readonly TriggerKey TriggerKey = new("tlsrpt-alerts", "tlsrpt");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            var run = await evaluator.EvaluateAsync(cancellationToken);
            if (run.AlertsQueued + run.ResolutionsQueued > 0)
                logger.LogInformation("TLS-RPT alerts: {Days} report day(s) evaluated, {Alerts} alert(s) and {Resolutions} resolution(s) queued", run.DaysEvaluated, run.AlertsQueued, run.ResolutionsQueued);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not rethrown: what was queued stays queued, and the next run looks again.
            logger.LogError(ex, "Evaluating TLS-RPT alerts failed");
        }
    }
}
