using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorService.Checks;
using MonitorService.Domains;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MonitorService.Monitoring;
using MonitorService.Settings;
using MonitorService.Storage;

namespace MonitorService.Hosting;

/// <summary>Registration of the service's features; every host (serve, CLI verbs, tests) composes from these.</summary>
public static class MonitorServiceCollectionExtensions
{
    /// <summary>The check engine, configured from the "Checks" section and validated at start.</summary>
    public static IServiceCollection AddMonitorChecks(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<CheckOptions>(configuration.GetSection(CheckOptions.SectionName), o => o.Validate().Select(e => $"Checks: {e}"));
        services.AddSingleton<IDomainChecker>(sp => DomainChecker.Create(sp.GetRequiredService<IOptions<CheckOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>The PostgreSQL store.</summary>
    public static IServiceCollection AddMonitorStorage(this IServiceCollection services, string connectionString)
    {
        services.AddDbContextFactory<MonitorDbContext>(o => MonitorDb.Configure((DbContextOptionsBuilder<MonitorDbContext>)o, connectionString));
        return services;
    }

    /// <summary>Monitored checks: recording, drift, incidents, and the domain registry.</summary>
    public static IServiceCollection AddMonitoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedOptions<MonitoringOptions>(configuration.GetSection(MonitoringOptions.SectionName), o => o.Validate());
        services.AddSingleton<CheckRecorder>();
        services.AddSingleton<DomainCheckRunner>();
        services.AddSingleton<IDomainCheckRunner>(sp => sp.GetRequiredService<DomainCheckRunner>());
        services.AddValidatedOptions<DomainOptions>(configuration.GetSection(DomainOptions.SectionName), o => o.Validate());
        services.AddSingleton<DomainRegistry>();
        services.AddSingleton<Scheduling.IDomainScheduleSource, StoredDomainScheduleSource>();
        return services;
    }
}
