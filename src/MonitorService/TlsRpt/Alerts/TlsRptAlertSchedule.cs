using Microsoft.Extensions.Options;
using MonitorService.Scheduling;
using Quartz;

namespace MonitorService.TlsRpt.Alerts;

/// <summary>Puts the TLS-RPT alert job and its trigger into the clustered scheduler at start (every node may; the trigger changes only with the interval).</summary>
public sealed class TlsRptAlertSchedule(ISchedulerFactory schedulerFactory, IOptions<TlsRptAlertOptions> options, TimeProvider time, ILogger<TlsRptAlertSchedule> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var scheduler = await schedulerFactory.GetScheduler(cancellationToken);
            var interval = options.Value.Interval;
            // Missed while every node was down: one run when a node is back covers them all (it looks back by time).
            if (await RecurringJob.EnsureAsync<TlsRptAlertJob>(scheduler, TlsRptAlertJob.Key, TlsRptAlertJob.TriggerKey, "Alerts on TLS-RPT report days",
                    interval, time.GetUtcNow() + interval, SimpleTriggerMisfireInstruction.NowWithExistingCount, cancellationToken))
                logger.LogInformation("TLS-RPT report days are evaluated for alerts every {Interval}", interval);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not schedule the TLS-RPT alert job; no TLS-RPT alerts until a node schedules it");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
