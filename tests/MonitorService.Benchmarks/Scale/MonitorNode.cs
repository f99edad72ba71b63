using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MonitorService.Alerts;
using MonitorService.Digest;
using MonitorService.Hosting;
using MonitorService.Monitoring;
using MonitorService.Testing;
using MonitorService.TlsRpt.Views;

namespace MonitorService.Benchmarks.Scale;

/// <summary>
/// The monitoring pipeline as the service composes it (checks, storage, monitoring, alerts), without the scheduler,
/// pointed at a <see cref="CheckEnvironment"/>; the same composition as the test suite's MonitorHarness.
/// </summary>
public static class MonitorNode
{
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
            ["Checks:TimeoutSeconds"] = "10",
            ["Smtp:OutboxDirectory"] = Path.Combine(Path.GetTempPath(), $"monitor-bench-outbox-{Guid.NewGuid():N}"),
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
    }

    public static ServiceProvider Build(CheckEnvironment env, string connectionString)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings(env)).Build();
        return new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton(TimeProvider.System)
            .AddMonitorChecks(configuration)
            .AddMonitorStorage(connectionString)
            .AddMonitoring(configuration)
            .AddMonitorAlerts(configuration)
            .AddMonitorDigest()
            .AddTlsRptViews(configuration)
            .BuildServiceProvider();
    }
}
