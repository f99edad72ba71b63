using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorService.Checks;
using MonitorService.Domains;
using MonitorService.Monitoring;
using MonitorService.Storage;

namespace MonitorService.Hosting;

/// <summary>Registration of the service's features; every host (serve, CLI verbs, tests) composes from these.</summary>
public static class MonitorServiceCollectionExtensions
{
    /// <summary>The check engine, configured from the "Checks" section and validated at start.</summary>
    public static IServiceCollection AddMonitorChecks(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddTimeProvider();
        services.AddOptions<CheckOptions>()
            .Bind(configuration.GetSection(CheckOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CheckOptions>, CheckOptionsValidator>();
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
        services.TryAddTimeProvider();
        services.AddOptions<MonitoringOptions>()
            .Bind(configuration.GetSection(MonitoringOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<MonitoringOptions>, MonitoringOptionsValidator>();
        services.AddSingleton<CheckRecorder>();
        services.AddSingleton<DomainCheckRunner>();
        services.AddSingleton<IDomainCheckRunner>(sp => sp.GetRequiredService<DomainCheckRunner>());
        services.AddOptions<DomainOptions>()
            .Bind(configuration.GetSection(DomainOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<DomainOptions>, DomainOptionsValidator>();
        services.AddSingleton<DomainRegistry>();
        services.AddSingleton<Scheduling.IDomainScheduleSource, StoredDomainScheduleSource>();
        return services;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(s => s.ServiceType == typeof(TimeProvider)))
            services.AddSingleton(TimeProvider.System);
    }

    private sealed class CheckOptionsValidator : IValidateOptions<CheckOptions>
    {
        public ValidateOptionsResult Validate(string? name, CheckOptions options) =>
            options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors.Select(e => $"Checks: {e}")) : ValidateOptionsResult.Success;
    }

    private sealed class DomainOptionsValidator : IValidateOptions<DomainOptions>
    {
        public ValidateOptionsResult Validate(string? name, DomainOptions options) =>
            options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }

    private sealed class MonitoringOptionsValidator : IValidateOptions<MonitoringOptions>
    {
        public ValidateOptionsResult Validate(string? name, MonitoringOptions options) =>
            options.Validate() is { Count: > 0 } errors ? ValidateOptionsResult.Fail(errors) : ValidateOptionsResult.Success;
    }
}
