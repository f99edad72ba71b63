using Microsoft.Extensions.Options;
using MonitorService.Channels.Delivery;
using MonitorService.Mail;
using MonitorService.Monitoring;
using MonitorService.Settings;

namespace MonitorService.Channels;

public static class ChannelsServiceCollectionExtensions
{
    /// <summary>
    /// Alert channels (webhook, Slack, Teams) on top of the alerts and their outbox: the queue that fans an alert out to
    /// a team's channels, the hook that uses it with each recorded check, the transport the outbox hands deliveries to,
    /// and the team's channel management.
    /// Options ("Alerts:Webhooks") are validated at start. The host provides the data-protection key ring that
    /// encrypts channel URLs and secrets (the same one on every node and for the CLI: Web's AddMonitorKeyRingStore).
    /// </summary>
    public static IServiceCollection AddMonitorAlertChannels(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AlertChannelOptions, IOptions<DeliveryOptions>>(configuration.GetSection(AlertChannelOptions.SectionName),
            (o, delivery) => o.Validate(delivery.Value.ClaimLease));
        services.AddSingleton<ChannelSecrets>();
        services.AddSingleton<GuardedWebhookClient>();
        services.AddSingleton<IChannelTransport, ChannelTransport>();
        services.AddSingleton<AlertChannelService>();
        services.AddSingleton<ChannelTester>();
        services.AddSingleton<ChannelAlertQueue>();
        services.AddSingleton<ICheckRecordingHook, ChannelOutboxHook>();
        return services;
    }
}
