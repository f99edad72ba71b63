using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorService.Storage;

namespace MonitorService.Web;

public static class KeyRingStoreServiceCollectionExtensions
{
    /// <summary>
    /// The data-protection key ring every process of the service shares, kept in PostgreSQL under one application
    /// name: the dashboard signs cookies with it, and alert channels encrypt their URLs and secrets with it, which
    /// the CLI (alerts send) must read as the web nodes do. Encrypted at rest with AddMonitorKeyRingProtection.
    /// </summary>
    public static IServiceCollection AddMonitorKeyRingStore(this IServiceCollection services)
    {
        if (services.Any(s => s.ServiceType == typeof(KeyRingStoreMarker)))
            return services;
        services.AddSingleton<KeyRingStoreMarker>();
        services.AddDataProtection().SetApplicationName("MonitorService");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(
            o => o.XmlRepository = new DatabaseKeyRepository(sp.GetRequiredService<IDbContextFactory<MonitorDbContext>>())));
        return services;
    }

    private sealed class KeyRingStoreMarker;
}
