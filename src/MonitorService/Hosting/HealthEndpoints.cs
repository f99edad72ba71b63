using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MonitorService.Storage;
using Quartz;

namespace MonitorService.Hosting;

/// <summary><c>/healthz</c>: the process answers. <c>/readyz</c>: the database answers and the scheduler runs.</summary>
public static class HealthEndpoints
{
    public static IServiceCollection AddMonitorHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<SchedulerHealthCheck>("scheduler", tags: ["ready"]);
        return services;
    }

    public static WebApplication MapMonitorHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        return app;
    }

    private sealed class DatabaseHealthCheck(IDbContextFactory<MonitorDbContext> dbFactory) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
                return await db.Database.CanConnectAsync(cancellationToken)
                    ? HealthCheckResult.Healthy()
                    : HealthCheckResult.Unhealthy("the database does not answer");
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                return HealthCheckResult.Unhealthy("the database does not answer", e);
            }
        }
    }

    private sealed class SchedulerHealthCheck(ISchedulerFactory schedulers) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var scheduler = await schedulers.GetScheduler(cancellationToken);
            return scheduler.Status == SchedulerStatus.Running
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"the scheduler is {scheduler.Status}, not running");
        }
    }
}
