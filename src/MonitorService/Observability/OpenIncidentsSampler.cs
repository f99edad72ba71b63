using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;

namespace MonitorService.Observability;

/// <summary>Counts open incidents every minute for the gauge: one cheap query, instead of one per scrape.</summary>
public sealed class OpenIncidentsSampler(IDbContextFactory<MonitorDbContext> dbFactory, MonitorMetrics metrics, TimeProvider time, ILogger<OpenIncidentsSampler> logger) : BackgroundService
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Every, time);
        do
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
                metrics.SetOpenIncidents(await db.Incidents.LongCountAsync(i => i.OpenedAt != null && i.ClosedAt == null, stoppingToken));
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning("Could not count open incidents: {Reason}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
