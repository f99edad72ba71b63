using Microsoft.Extensions.DependencyInjection.Extensions;
using MonitorService.Settings;

namespace MonitorService.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="RetentionPruner"/> with its options (section "Retention", validated at start). Needs the store
    /// (AddMonitorStorage). The clustered job that runs it comes from <see cref="AddRetentionJob"/>.
    /// </summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<RetentionOptions>(configuration.GetSection(RetentionOptions.SectionName), o => o.Validate());
        services.AddSingleton<RetentionPruner>();
        return services;
    }

    /// <summary>The clustered prune job, every Retention:Interval. Needs AddMonitorScheduling and <see cref="AddRetention"/>.</summary>
    public static IServiceCollection AddRetentionJob(this IServiceCollection services)
    {
        services.AddTransient<PruneHistoryJob>();
        services.AddHostedService<RetentionSchedule>();
        return services;
    }
}
