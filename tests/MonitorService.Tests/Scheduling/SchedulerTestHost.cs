using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MonitorService.Monitoring;
using MonitorService.Scheduling;
using MonitorService.Tests.Infrastructure;
using Npgsql;
using Quartz;
using SchedulingOptions = MonitorService.Scheduling.SchedulingOptions;
using Xunit.Abstractions;

namespace MonitorService.Tests.Scheduling;

/// <summary>A generic host running the scheduler against a test database: one cluster node.</summary>
public sealed class SchedulerTestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private SchedulerTestHost(IHost host, string node)
    {
        _host = host;
        Node = node;
    }

    public string Node { get; }

    public IServiceProvider Services => _host.Services;

    public IDomainSchedule Schedule => Services.GetRequiredService<IDomainSchedule>();

    public ScheduleReconciler Reconciler => Services.GetServices<IHostedService>().OfType<ScheduleReconciler>().Single();

    public ValueTask<IScheduler> SchedulerAsync() => Services.GetRequiredService<ISchedulerFactory>().GetScheduler(CancellationToken.None);

    public static async Task<SchedulerTestHost> StartAsync(
        string connectionString, string node, CheckLog log, IDomainScheduleSource source, ITestOutputHelper output,
        FireRecorder? fires = null, Action<SchedulingOptions>? configure = null, Action<IQuartzBuilder>? quartz = null)
    {
        var options = new SchedulingOptions
        {
            InstanceId = node,
            MaxConcurrentChecks = 4,
            CheckinInterval = TimeSpan.FromSeconds(2),
            MisfireThreshold = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Quartz", LogLevel.Warning);
        builder.Logging.AddProvider(new TestLoggerProvider(output, node));
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Services.AddSingleton(source);
        builder.Services.AddScoped<IDomainCheckRunner>(_ => new FakeDomainCheckRunner(node, log));
        builder.Services.AddMonitorScheduling(connectionString, options, q =>
        {
            if (fires is not null)
            {
                q.AddJobListener(fires, []);
            }
            quartz?.Invoke(q);
        });
        var host = builder.Build();
        await host.StartAsync();
        // The reconciler's first pass runs in the background; tests look at the schedules it makes.
        await host.Services.GetServices<IHostedService>().OfType<ScheduleReconciler>().Single().FirstPassCompleted.WaitAsync(TimeSpan.FromSeconds(30));
        return new SchedulerTestHost(host, node);
    }

    public async Task StopAsync() => await _host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync();
        }
        finally
        {
            _host.Dispose();
            // The job store's idle connections would stay open for minutes; with a database per test they add up to the
            // server's connection limit and later tests' "too many clients". Only idle connections are closed here.
            NpgsqlConnection.ClearAllPools();
        }
    }

    private sealed class TestLoggerProvider(ITestOutputHelper output, string node) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new TestLogger(output, $"{node} {categoryName.Split('.')[^1]}");

        public void Dispose()
        {
        }
    }
}
