using Microsoft.Extensions.DependencyInjection.Extensions;
using MonitorService.Observability;
using MonitorService.Settings;

namespace MonitorService.TlsRpt.Intake;

public static class TlsRptServiceCollectionExtensions
{
    /// <summary>The ingestion service every TLS-RPT intake (HTTPS, mailbox, import) hands reports to.</summary>
    public static IServiceCollection AddTlsRptIntake(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<MonitorMetrics>();
        services.AddValidatedOptions<TlsRptIntakeOptions>(configuration.GetSection(TlsRptIntakeOptions.SectionName), o => o.Validate());
        services.TryAddSingleton<TlsRptStore>();
        services.TryAddSingleton<ITlsRptIntake, TlsRptIntakeService>();
        return services;
    }
}
