using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Quartz;

namespace MonitorService.Scheduling;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Clustered Quartz scheduler on PostgreSQL (tables from <see cref="QuartzSchema"/>), its hosted service, <see cref="IDomainSchedule"/>
    /// and the start-up <see cref="ScheduleReconciler"/>. The application registers <see cref="Monitoring.IDomainCheckRunner"/> (the job resolves it from a scope of its own per check)
    /// and <see cref="IDomainScheduleSource"/>. <paramref name="configureQuartz"/> may add to the Quartz setup (listeners, time provider).
    /// </summary>
    public static IServiceCollection AddMonitorScheduling(
        this IServiceCollection services, string connectionString, SchedulingOptions options, Action<IQuartzBuilder>? configureQuartz = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentNullException.ThrowIfNull(options);
        options.ThrowIfInvalid();

        services.AddSingleton(options);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<QuartzDomainSchedule>();
        services.AddSingleton<IDomainSchedule>(sp => sp.GetRequiredService<QuartzDomainSchedule>());
        services.AddSingleton(new QuartzStore(connectionString, options.InstanceName));
        services.AddSingleton<StoredScheduleReader>();
        services.AddSingleton<FirstCheckPacer>();
        services.AddSingleton<DueCheckBacklog>();
        services.AddSingleton(sp => new ReconcilePacing(sp.GetRequiredService<DueCheckBacklog>(), options, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ScheduleRowWriter>();
        services.AddSingleton<DomainScheduleBatch>();
        services.AddTransient<CheckDomainJob>();
        services.AddMetrics();
        services.AddSingleton<ReconcileMetrics>();

        // Only consulted for jobs and triggers declared on the builder; the domain schedule's own writes are idempotent
        // by construction (TriggerConflict.Keep / KeepEarlier), so every node may reconcile at once.
        services.Configure<QuartzOptions>(q => q.Scheduling.IgnoreDuplicates = true);
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = options.InstanceName;
                s.IdleWaitTime = options.IdleWaitTime;
                if (options.InstanceId is { } id)
                {
                    s.InstanceId = id;
                }
            });
            q.UseDefaultThreadPool(options.MaxConcurrentChecks);
            q.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.UseClustering(c =>
                {
                    c.CheckinInterval = options.CheckinInterval;
                    c.CheckinMisfireThreshold = options.MisfireThreshold;
                });
                store.UseSystemTextJsonSerializer();
                store.ConfigureStore(s =>
                {
                    s.TablePrefix = QuartzSchema.TablePrefix;
                    s.MisfireThreshold = options.MisfireThreshold;
                });
            });
            configureQuartz?.Invoke(q);
        });
        services.AddQuartzHostedService(h =>
        {
            // SIGTERM: stop acquiring triggers, let running checks finish (within the host's shutdown timeout).
            h.WaitForJobsToComplete = true;
            // Start the scheduler in its StartAsync, so the reconciler (registered next) runs against a started scheduler.
            h.AwaitApplicationStarted = false;
        });
        services.AddHostedService<ScheduleReconciler>();
        return services;
    }

    /// <summary>As above, with the options bound from the "Scheduling" section.</summary>
    public static IServiceCollection AddMonitorScheduling(
        this IServiceCollection services, string connectionString, IConfiguration configuration, Action<IQuartzBuilder>? configureQuartz = null)
    {
        var options = new SchedulingOptions();
        configuration.GetSection(SchedulingOptions.SectionName).Bind(options);
        return services.AddMonitorScheduling(connectionString, options, configureQuartz);
    }
}
