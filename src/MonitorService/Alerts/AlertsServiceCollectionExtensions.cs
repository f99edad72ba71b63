using Microsoft.Extensions.Options;
using MonitorService.Mail;
using MonitorService.Monitoring;

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
        services.AddOptions<AlertOptions>()
            .Bind(configuration.GetSection(AlertOptions.SectionName))
            .Configure(o => o.DashboardBaseUrl ??= configuration["Dashboard:BaseUrl"])
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlertOptions>, AlertOptionsValidator>();
        services.AddSingleton<ICheckRecordingHook, AlertOutboxHook>();
        return services;
    }

    private sealed class AlertOptionsValidator : IValidateOptions<AlertOptions>
    {
        public ValidateOptionsResult Validate(string? name, AlertOptions options) =>
            options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
