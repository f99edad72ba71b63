using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MonitorService.Alerts;
using MonitorService.Channels;
using MonitorService.Digest;
using MonitorService.Domains;
using MonitorService.Hosting;
using MonitorService.Monitoring;
using MonitorService.Plans;
using MonitorService.Storage;
using MonitorService.Tests.Infrastructure;
using MonitorService.TlsRpt.Alerts;
using MonitorService.TlsRpt.Views;
using MonitorService.Web;

namespace MonitorService.Tests.Monitoring;

/// <summary>
/// The monitoring pipeline as the service composes it, on a fresh migrated database, checking domains served by a
/// <see cref="CheckEnvironment"/>, with a hand-moved clock.
/// </summary>
public sealed class MonitorHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private MonitorHarness(ServiceProvider services, CheckEnvironment env, ManualTimeProvider clock, string connectionString)
    {
        _services = services;
        Env = env;
        Clock = clock;
        ConnectionString = connectionString;
    }

    public CheckEnvironment Env { get; }
    public ManualTimeProvider Clock { get; }
    public string ConnectionString { get; }
    public DomainRegistry Registry => _services.GetRequiredService<DomainRegistry>();
    public DomainCheckRunner Runner => _services.GetRequiredService<DomainCheckRunner>();

    /// <param name="logs">Receives every log entry of the node, at every level; without it nothing is logged.</param>
    public static async Task<MonitorHarness> StartAsync(PostgresFixture postgres, string hint, Dictionary<string, string?>? extraSettings = null,
        LogCapture? logs = null)
    {
        var connectionString = await postgres.CreateDatabaseAsync(hint);
        await using (var db = MonitorDb.Create(connectionString))
            await db.Database.MigrateAsync();
        var env = (await CheckEnvironment.StartAsync()).PublishHealthyDomain();
        var clock = new ManualTimeProvider();
        var settings = Settings(env);
        foreach (var (key, value) in extraSettings ?? [])
            settings[key] = value;
        settings.TryAdd("Smtp:OutboxDirectory", Path.Combine(Path.GetTempPath(), $"monitor-tests-outbox-{Guid.NewGuid():N}"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new MonitorHarness(BuildNode(configuration, clock, connectionString, logs), env, clock, connectionString) { Configuration = configuration };
    }

    /// <summary>The service's composition on one node: another call gives a second node on the same database and clock.</summary>
    public static ServiceProvider BuildNode(IConfiguration configuration, TimeProvider clock, string connectionString, LogCapture? logs = null) =>
        new ServiceCollection()
            .AddLogging(l =>
            {
                l.SetMinimumLevel(LogLevel.Warning);
                if (logs is not null)
                    l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace);
            })
            .AddSingleton(clock)
            .AddMonitorChecks(configuration)
            .AddMonitorStorage(connectionString)
            .AddMonitoring(configuration)
            .AddMonitorAlerts(configuration)
            .AddMonitorAlertChannels(configuration)
            .AddMonitorKeyRingStore()
            .AddChangePlans(configuration)
            .AddMonitorDigest()
            .AddTlsRptViews(configuration)
            .AddTlsRptAlerts(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

    public IConfiguration Configuration { get; private init; } = null!;

    public IServiceProvider Services => _services;

    /// <summary>A second node of the same service: its own services, the same database, clock and settings.</summary>
    public ServiceProvider AddNode() => BuildNode(Configuration, Clock, ConnectionString);

    /// <summary>The settings that point the engine at the loopback servers, as a service would be configured.</summary>
    public static Dictionary<string, string?> Settings(CheckEnvironment env)
    {
        var o = env.Options();
        return new Dictionary<string, string?>
        {
            ["Checks:Resolvers:0"] = o.Resolvers[0],
            ["Checks:CaFile"] = o.CaFile,
            ["Checks:PolicyPort"] = o.PolicyPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Checks:SmtpPort"] = o.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Checks:AllowPrivateAddresses"] = "true",
            ["Checks:TimeoutSeconds"] = "2",
            // As the engine tests: validation only against the signed test hierarchy (CheckEnvironment.SignZones);
            // the plain test zone is unsigned and its server passes no DNSSEC records (every answer would be indeterminate).
            ["Checks:DnssecValidation"] = o.DnssecValidation ? "true" : "false",
            ["Checks:DnssecTrustAnchorFile"] = o.DnssecTrustAnchorFile,
            ["Checks:AuthoritativeDnsPort"] = o.AuthoritativeDnsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    public async Task<Guid> AddDomainAsync(string name = CheckEnvironment.Domain) =>
        (await Registry.AddAsync(name, "ops", TimeSpan.FromHours(1), ["ops@example.test"], CancellationToken.None)).Id;

    public async Task<MonitoredCheckResult> CheckAsync(Guid domainId) =>
        await Runner.CheckAsync(domainId, CheckTrigger.Manual, CancellationToken.None) ?? throw new InvalidOperationException("domain vanished");

    public MonitorDbContext Db() => MonitorDb.Create(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Env.DisposeAsync();
    }
}
