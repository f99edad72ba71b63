using MonitorService.Settings;

namespace MonitorService.TlsRpt.Alerts;

public static class TlsRptAlertsServiceCollectionExtensions
{
    /// <summary>TLS-RPT alerts: the rules' settings (TlsRpt:Alerts, validated at start) and the evaluator. Needs AddMonitorAlerts, AddMonitorAlertChannels and AddTlsRptViews.</summary>
    public static IServiceCollection AddTlsRptAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TlsRptAlertOptions>(configuration.GetSection(TlsRptAlertOptions.SectionName), o => o.Validate());
        services.AddSingleton<TlsRptAlertEvaluator>();
        return services;
    }

    /// <summary>The clustered job that runs the evaluator. Needs AddMonitorScheduling.</summary>
    public static IServiceCollection AddTlsRptAlertJob(this IServiceCollection services)
    {
        services.AddTransient<TlsRptAlertJob>();
        services.AddHostedService<TlsRptAlertSchedule>();
        return services;
    }
}
