using Microsoft.Extensions.Options;

namespace MonitorService.Retention;

public static class RetentionServiceCollectionExtensions
{
    /// <summary>
    /// <see cref="RetentionPruner"/> with its options (section "Retention", validated at start). Needs the store
    /// (AddMonitorStorage). The clustered job that runs it comes from <see cref="AddRetentionJob"/>.
    /// </summary>
    public static IServiceCollection AddRetention(this IServiceCollection services, IConfiguration configuration)
    {
        if (!services.Any(s => s.ServiceType == typeof(TimeProvider)))
            services.AddSingleton(TimeProvider.System);
        services.AddOptions<RetentionOptions>().Bind(configuration.GetSection(RetentionOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidator>();
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

    private sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
    {
        public ValidateOptionsResult Validate(string? name, RetentionOptions options) =>
            options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
