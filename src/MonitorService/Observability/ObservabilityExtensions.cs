using OpenTelemetry.Metrics;

namespace MonitorService.Observability;

public static class ObservabilityExtensions
{
    /// <summary>Metrics instruments and the Prometheus exporter.</summary>
    public static IServiceCollection AddMonitorMetrics(this IServiceCollection services)
    {
        services.AddSingleton<MonitorMetrics>();
        services.AddHostedService<StateGaugeSampler>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MonitorMetrics.MeterName)
            .AddPrometheusExporter());
        return services;
    }

    /// <summary><c>/metrics</c> in Prometheus text format.</summary>
    public static WebApplication MapMonitorMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}
