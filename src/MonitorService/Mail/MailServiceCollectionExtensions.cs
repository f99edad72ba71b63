using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

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
        services.AddOptions<SmtpOptions>().Bind(configuration.GetSection(SmtpOptions.SectionName)).ValidateOnStart();
        services.AddOptions<DeliveryOptions>().Bind(configuration.GetSection(DeliveryOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        services.AddSingleton<IValidateOptions<DeliveryOptions>, DeliveryOptionsValidator>();
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

    private sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
    {
        public ValidateOptionsResult Validate(string? name, SmtpOptions options) =>
            options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }

    private sealed class DeliveryOptionsValidator(IOptions<SmtpOptions> smtp) : IValidateOptions<DeliveryOptions>
    {
        public ValidateOptionsResult Validate(string? name, DeliveryOptions options) =>
            options.Validate(smtp.Value.Timeout) is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
