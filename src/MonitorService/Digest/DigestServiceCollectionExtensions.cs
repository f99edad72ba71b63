namespace MonitorService.Digest;

public static class DigestServiceCollectionExtensions
{
    /// <summary>The weekly digest: building and queuing it (needs AddMonitorAlerts for the team mail settings).</summary>
    public static IServiceCollection AddMonitorDigest(this IServiceCollection services)
    {
        services.AddSingleton<DigestBuilder>();
        services.AddSingleton<DigestService>();
        return services;
    }

    /// <summary>
    /// The clustered mail jobs: one weekly digest trigger per team, and outbox delivery every Alerts:DeliveryInterval
    /// (both kept in Quartz by <see cref="DigestSchedule"/>). Needs AddMonitorScheduling.
    /// </summary>
    public static IServiceCollection AddMonitorDigestJobs(this IServiceCollection services)
    {
        services.AddTransient<SendDigestJob>();
        services.AddHostedService<DigestSchedule>();
        return services;
    }
}
