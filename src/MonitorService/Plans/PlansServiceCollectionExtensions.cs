using MonitorService.Monitoring;
using MonitorService.Settings;

namespace MonitorService.Plans;

public static class PlansServiceCollectionExtensions
{
    /// <summary>
    /// Planned MX changes: the service that makes and cancels plans, and the hook that advances them with each
    /// recorded check (mail through the outbox, so the outbox must be registered: AddMonitorAlerts does).
    /// </summary>
    public static IServiceCollection AddChangePlans(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<PlanOptions>(configuration.GetSection(PlanOptions.SectionName), o => o.Validate())
            .Configure(o => o.DashboardBaseUrl ??= configuration["Dashboard:BaseUrl"]);
        services.AddSingleton<ChangePlanService>();
        services.AddSingleton<ICheckRecordingHook, ChangePlanHook>();
        return services;
    }
}
