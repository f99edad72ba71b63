using MonitorService.Mail;
using MonitorService.Monitoring;
using MonitorService.Settings;

namespace MonitorService.Alerts;

public static class AlertsServiceCollectionExtensions
{
    /// <summary>
    /// Alert mail: the outbox hook that queues alerts with each recorded check, on top of the outbox and its delivery
    /// (<see cref="MailServiceCollectionExtensions.AddMonitorMail"/>). Options ("Alerts", "Dashboard:BaseUrl") are
    /// validated at start.
    /// </summary>
    public static IServiceCollection AddMonitorAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMonitorMail(configuration);
        services.AddValidatedOptions<AlertOptions>(configuration.GetSection(AlertOptions.SectionName), o => o.Validate())
            .Configure(o => o.DashboardBaseUrl ??= configuration["Dashboard:BaseUrl"]);
        services.AddSingleton<ICheckRecordingHook, AlertOutboxHook>();
        return services;
    }
}
