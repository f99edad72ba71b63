using Microsoft.Extensions.DependencyInjection.Extensions;
using MonitorService.Settings;

namespace MonitorService.TlsRpt.Mailbox;

public static class MailboxServiceCollectionExtensions
{
    /// <summary>
    /// The mailbox intake: options (section "TlsRpt:Imap", validated at start), the reader, and the clustered job that
    /// runs it every TlsRpt:Imap:PollInterval. Needs AddMonitorScheduling and an <see cref="ITlsRptIntake"/>. Without
    /// TlsRpt:Imap:Host the feature is off: no job is scheduled.
    /// </summary>
    public static IServiceCollection AddTlsRptMailbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<MailboxOptions>(configuration.GetSection(MailboxOptions.SectionName), o => o.Validate());
        services.AddMetrics();
        services.AddSingleton<MailboxMetrics>();
        services.AddSingleton<MailboxSkipMarks>();
        services.AddSingleton<MailboxConnector>();
        services.AddSingleton<MailboxPass>();
        services.AddSingleton<MailboxReader>();
        services.AddTransient<ReadMailboxJob>();
        services.AddHostedService<MailboxSchedule>();
        return services;
    }
}
