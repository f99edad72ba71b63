using Microsoft.Extensions.Options;
using MonitorService.Digest;
using MonitorService.Mail;
using MonitorService.Monitoring;

namespace MonitorService.Alerts;

public static class AlertsServiceCollectionExtensions
{
    /// <summary>
    /// Alert and digest mail: the outbox hook that queues alerts with each recorded check, delivery through the
    /// configured SMTP server (or .eml files when none is), and digests. Options ("Smtp", "Alerts", "Dashboard:BaseUrl")
    /// are validated at start. The Quartz jobs that run delivery and digests come from <see cref="AddMonitorMailJobs"/>.
    /// </summary>
    public static IServiceCollection AddMonitorAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        if (!services.Any(s => s.ServiceType == typeof(TimeProvider)))
            services.AddSingleton(TimeProvider.System);
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.SectionName)).ValidateOnStart();
        services.AddOptions<AlertOptions>()
            .Bind(configuration.GetSection(AlertOptions.SectionName))
            .Configure(o => o.DashboardBaseUrl ??= configuration["Dashboard:BaseUrl"])
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        services.AddSingleton<IValidateOptions<AlertOptions>, AlertOptionsValidator>();
        services.AddSingleton<IMailTransport>(sp =>
        {
            var smtp = sp.GetRequiredService<IOptions<SmtpOptions>>();
            return smtp.Value.UsesFiles ? new FileMailTransport(smtp) : new SmtpMailTransport(smtp);
        });
        services.AddSingleton<OutboxWriter>();
        services.AddSingleton<OutboxDelivery>();
        services.AddSingleton<ICheckRecordingHook, AlertOutboxHook>();
        services.AddSingleton<DigestBuilder>();
        services.AddSingleton<DigestService>();
        return services;
    }

    /// <summary>
    /// The clustered jobs: outbox delivery every Alerts:DeliveryInterval and one weekly digest trigger per team. Needs
    /// AddMonitorScheduling.
    /// </summary>
    public static IServiceCollection AddMonitorMailJobs(this IServiceCollection services)
    {
        services.AddTransient<DeliverOutboxJob>();
        services.AddTransient<SendDigestJob>();
        services.AddHostedService<DigestSchedule>();
        return services;
    }

    private sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
    {
        public ValidateOptionsResult Validate(string? name, SmtpOptions options) =>
            options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }

    private sealed class AlertOptionsValidator(IOptions<SmtpOptions> smtp) : IValidateOptions<AlertOptions>
    {
        public ValidateOptionsResult Validate(string? name, AlertOptions options) =>
            options.Validate(smtp.Value.Timeout) is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
