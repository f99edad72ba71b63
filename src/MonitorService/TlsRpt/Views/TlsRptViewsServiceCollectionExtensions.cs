using MonitorService.Settings;

namespace MonitorService.TlsRpt.Views;

public static class TlsRptViewsServiceCollectionExtensions
{
    /// <summary>What users see of TLS-RPT reports: the shared summary builder and the addresses the setup help names.</summary>
    public static IServiceCollection AddTlsRptViews(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<TlsRptAddressOptions>(configuration.GetSection(TlsRptAddressOptions.SectionName), o => o.Validate());
        services.AddSingleton<TlsRptQueries>();
        return services;
    }
}
