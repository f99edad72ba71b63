namespace MonitorService.Web;

/// <summary>Serves the dashboard's stylesheet and script from resources embedded in the assembly (no wwwroot to deploy).</summary>
public static class StaticAssets
{
    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        ["site.css"] = "text/css; charset=utf-8",
        ["dashboard.js"] = "text/javascript; charset=utf-8",
    };

    public static IEndpointRouteBuilder MapMonitorAssets(this IEndpointRouteBuilder app)
    {
        var assembly = typeof(StaticAssets).Assembly;
        var files = Types.ToDictionary(t => t.Key, t =>
        {
            using var stream = assembly.GetManifestResourceStream($"MonitorService.Web.Assets.{t.Key}")
                ?? throw new InvalidOperationException($"Embedded asset {t.Key} is missing from the build.");
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            return memory.ToArray();
        });
        app.MapGet("/assets/{name}", (string name, HttpContext context) =>
        {
            if (!files.TryGetValue(name, out var bytes))
                return Results.NotFound();
            context.Response.Headers.CacheControl = "public, max-age=3600";
            return Results.Bytes(bytes, Types[name]);
        }).AllowAnonymous().ExcludeFromDescription().RequireRateLimiting(Security.MonitorRateLimits.DashboardPolicy);
        return app;
    }
}
