using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Observability;

/// <summary>Counts open incidents and the mail backlog every minute for the gauges: cheap queries, not one per scrape.</summary>
public sealed class StateGaugeSampler(IDbContextFactory<MonitorDbContext> dbFactory, MonitorMetrics metrics, TimeProvider time, ILogger<StateGaugeSampler> logger) : BackgroundService
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
                metrics.SetOutboxBacklog(await db.Outbox.LongCountAsync(m => m.Status == OutboxStatus.Queued || m.Status == OutboxStatus.Sending, stoppingToken));
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning("Could not count open incidents and queued mail: {Reason}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
