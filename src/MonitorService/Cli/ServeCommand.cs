using MonitorService.Alerts;
using MonitorService.Channels;
using MonitorService.Digest;
using MonitorService.Hosting;
using MonitorService.Observability;
using MonitorService.Plans;
using MonitorService.Retention;
using MonitorService.Scheduling;
using MonitorService.TlsRpt.Alerts;
using MonitorService.TlsRpt.Mailbox;
using MonitorService.TlsRpt.Views;
using MonitorService.Web;
using MonitorService.Web.Api;
using MonitorService.Web.Security;
using MonitorService.Web.SignIn;
using MonitorService.Web.TlsRpt;
using Serilog;

namespace MonitorService.Cli;

/// <summary><c>MonitorService serve</c>: the service — clustered scheduled checks, drift detection, web host.</summary>
public static class ServeCommand
{
    public static async Task<int> RunAsync(CliContext context, IReadOnlyList<string> args, CancellationToken ct)
    {
        var configuration = context.BuildConfiguration();
        using var bootstrap = ServiceLogging.Create(configuration);
        using var loggers = new Serilog.Extensions.Logging.SerilogLoggerFactory(bootstrap);
        await using var database = await MonitorDatabase.OpenAsync(configuration, loggers, ct);
        var pending = await database.PendingMigrationsAsync(ct);
        if (pending.Count > 0)
            throw new StartupException($"The database schema is behind this version ({pending.Count} migration(s) pending). Run: MonitorService migrate");

        // ApplicationName: the compiled Razor Pages are found in this assembly also when a test process hosts us.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. args], ApplicationName = typeof(ServeCommand).Assembly.GetName().Name });
        builder.Configuration.AddInMemoryCollection(context.Settings);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
            builder.WebHost.UseUrls("http://127.0.0.1:8080");
        builder.Services.AddSerilog(ServiceLogging.Create(builder.Configuration), dispose: true);
        builder.Services
            .AddMonitorChecks(builder.Configuration)
            .AddMonitorStorage(database.ConnectionString)
            .AddMonitoring(builder.Configuration)
            .AddMonitorAlerts(builder.Configuration)
            .AddMonitorAlertChannels(builder.Configuration)
            .AddChangePlans(builder.Configuration)
            .AddMonitorDigest()
            .AddTlsRptViews(builder.Configuration)
            .AddTlsRptAlerts(builder.Configuration)
            .AddMonitorScheduling(database.ConnectionString, builder.Configuration, quartz => quartz.AddTriggerListener<SchedulerMetricsListener>())
            .AddMonitorDigestJobs()
            .AddRetention(builder.Configuration)
            .AddRetentionJob()
            .AddTlsRptAlertJob()
            .AddMonitorMetrics()
            .AddTlsRptHttpsIntake(builder.Configuration)
            .AddTlsRptMailbox(builder.Configuration)
            .AddMonitorHealthChecks()
            .AddMonitorWebSecurity(builder.Configuration)
            .AddMonitorDashboard()
            .AddMonitorSingleSignOn(builder.Configuration)
            .AddMonitorKeyRingProtection(builder.Configuration)
            .AddMonitorApi();
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        var app = builder.Build();
        app.UseMonitorPerimeter();
        app.UseExceptionHandler();
        app.UseSerilogRequestLogging();
        app.UseMonitorAccessControl();
        app.MapMonitorHealthChecks();
        app.MapMonitorMetrics();
        app.MapMonitorApi();
        app.MapTlsRptHttpsIntake();
        app.MapMonitorDashboard();
        app.MapMonitorSingleSignOn();
        await app.RunAsync(ct);
        return ExitCodes.Ok;
    }
}
