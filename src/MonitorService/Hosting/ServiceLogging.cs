using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace MonitorService.Hosting;

/// <summary>
/// Serilog for the service: structured console output, human-readable by default, one JSON object per line when
/// <c>Logging:Format</c> is <c>json</c> (containers). Levels and overrides come from the "Serilog" section.
/// </summary>
public static class ServiceLogging
{
    public static Serilog.Core.Logger Create(IConfiguration configuration)
    {
        var logger = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
            .MinimumLevel.Override("Quartz", LogEventLevel.Warning)
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext();
        return string.Equals(configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase)
            ? logger.WriteTo.Console(new CompactJsonFormatter()).CreateLogger()
            : logger.WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {SourceContext}: {Message:lj}{NewLine}{Exception}").CreateLogger();
    }
}
