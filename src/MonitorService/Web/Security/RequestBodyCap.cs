using System.Globalization;
using Microsoft.Extensions.Options;

namespace MonitorService.Web.Security;

/// <summary>
/// Refuses a request whose declared body is over <c>Web:MaxRequestBodyBytes</c> with 413 before anything (sign-in,
/// anti-forgery, model binding) starts on it. Kestrel enforces the same limit on bodies without a length, while
/// they are read.
/// </summary>
public static class RequestBodyCap
{
    public static IApplicationBuilder UseMonitorRequestBodyCap(this IApplicationBuilder app)
    {
        var defaultMax = app.ApplicationServices.GetRequiredService<IOptions<WebOptions>>().Value.MaxRequestBodyBytes;
        var overrides = app.ApplicationServices.GetServices<RequestBodyCapOverride>().ToList();
        return app.Use(async (context, next) =>
        {
            // An endpoint with a cap of its own (the TLS-RPT intake) enforces it itself, also while reading.
            var max = overrides.FirstOrDefault(o => context.Request.Path.StartsWithSegments(o.Path, StringComparison.OrdinalIgnoreCase))?.MaxBytes ?? defaultMax;
            if (context.Request.ContentLength is not > 0 || context.Request.ContentLength <= max)
            {
                await next(context);
                return;
            }
            var message = $"The request body is too large: at most {max.ToString(CultureInfo.InvariantCulture)} bytes.";
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                await Results.Problem(statusCode: 413, title: "Request body too large", detail: message).ExecuteAsync(context);
                return;
            }
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(message, context.RequestAborted);
        });
    }
}

/// <summary>
/// A path (and the paths below it) whose requests may carry a larger (or smaller) body than Web:MaxRequestBodyBytes. Its endpoint must raise
/// Kestrel's per-request limit itself and count the bytes it reads.
/// </summary>
public sealed record RequestBodyCapOverride(PathString Path, long MaxBytes);
