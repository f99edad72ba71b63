using MonitorService.Accounts;
using MonitorService.Alerts;
using MonitorService.Channels;
using MonitorService.Digest;
using MonitorService.Hosting;
using MonitorService.Plans;
using MonitorService.Retention;
using MonitorService.TlsRpt.Alerts;
using MonitorService.TlsRpt.Intake;
using MonitorService.TlsRpt.Views;
using MonitorService.Web;
using Serilog;
using Serilog.Events;

namespace MonitorService.Cli;

/// <summary>
/// What a command-line verb runs with: configuration (appsettings.json, environment, overrides from tests), logging
/// to stderr (stdout is for results), and the database (configured, or the embedded default).
/// </summary>
public sealed class CliContext(TextReader stdin, TextWriter stdout, TextWriter stderr, IReadOnlyDictionary<string, string?>? settings)
{
    /// <summary>Where passwords are read from when they are not typed at a prompt.</summary>
    public TextReader Stdin { get; } = stdin;
    public TextWriter Stdout { get; } = stdout;
    public TextWriter Stderr { get; } = stderr;

    public IConfiguration BuildConfiguration() => new ConfigurationBuilder()
        .SetBasePath(Directory.GetCurrentDirectory())
        .AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables()
        .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
        .Build();

    public IReadOnlyDictionary<string, string?> Settings => settings ?? new Dictionary<string, string?>();

    /// <summary>A host with the store and monitoring services, started against the database.</summary>
    public async Task<CliHost> StartHostAsync(CancellationToken ct)
    {
        var configuration = BuildConfiguration();
        var logger = new LoggerConfiguration()
            .MinimumLevel.Is(Enum.TryParse<LogEventLevel>(configuration["Logging:Cli:Level"], true, out var level) ? level : LogEventLevel.Warning)
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}")
            .CreateLogger();
        var loggers = new Serilog.Extensions.Logging.SerilogLoggerFactory(logger, dispose: true);
        var database = await MonitorDatabase.OpenAsync(configuration, loggers, ct);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Configuration = new ConfigurationManager() });
        builder.Configuration.AddConfiguration(configuration);
        builder.Logging.ClearProviders().AddSerilog(logger);
        builder.Services.AddMonitorChecks(configuration).AddMonitorStorage(database.ConnectionString).AddMonitoring(configuration)
            .AddMonitorAlerts(configuration)
            .AddMonitorAlertChannels(configuration)
            .AddChangePlans(configuration)
            .AddMonitorDigest()
            .AddRetention(configuration)
            .AddTlsRptIntake(configuration)
            .AddTlsRptViews(configuration)
            .AddTlsRptAlerts(configuration);
        builder.Services.AddMonitorAccounts();
        // The service's key ring, as serve reads it: alert channel URLs and secrets are encrypted with it.
        builder.Services.AddMonitorKeyRingStore().AddMonitorKeyRingProtection(configuration);
        var host = builder.Build();
        await host.StartAsync(ct);
        return new CliHost(host, database, loggers);
    }
}

/// <summary>A started host for one verb; disposing stops it and the embedded database, if any.</summary>
public sealed class CliHost(IHost host, MonitorDatabase database, ILoggerFactory loggers) : IAsyncDisposable
{
    public IServiceProvider Services => host.Services;
    public MonitorDatabase Database => database;
    public ILoggerFactory Loggers => loggers;

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        await database.DisposeAsync();
        loggers.Dispose();
    }
}
