using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MonitorService.Settings;

namespace MonitorService.Mail;

public static class MailServiceCollectionExtensions
{
    /// <summary>
    /// The outbox and its delivery: through the configured SMTP server, or .eml files when none is. Options ("Smtp",
    /// and the delivery settings under "Alerts") are validated at start. The delivery job is scheduled by the digest
    /// schedule, which keeps the mail jobs in Quartz.
    /// </summary>
    public static IServiceCollection AddMonitorMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<SmtpOptions>(configuration.GetSection(SmtpOptions.SectionName), o => o.Validate());
        services.AddValidatedOptions<DeliveryOptions, IOptions<SmtpOptions>>(configuration.GetSection(DeliveryOptions.SectionName), (o, smtp) => o.Validate(smtp.Value.Timeout));
        services.AddSingleton<IMailTransport>(sp =>
        {
            var smtp = sp.GetRequiredService<IOptions<SmtpOptions>>();
            return smtp.Value.UsesFiles ? new FileMailTransport(smtp) : new SmtpMailTransport(smtp);
        });
        services.AddSingleton<OutboxWriter>();
        services.AddSingleton<OutboxDelivery>();
        services.AddTransient<DeliverOutboxJob>();
        return services;
    }
}
