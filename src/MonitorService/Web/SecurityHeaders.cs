using System.Globalization;
using Microsoft.Extensions.Options;
using MonitorService.Web.Security;

namespace MonitorService.Web;

/// <summary>
/// Headers on every response: a CSP that allows only our own scripts and styles (no inline script, so injected
/// markup cannot run even if escaping ever failed), no framing, no MIME sniffing, no referrer to other sites; and
/// HSTS when the request came over HTTPS (as the configured proxy reports it).
/// </summary>
public static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'";

    /// <summary>
    /// Added when the response starts rather than on the way in: whatever wrote it (a challenge, the rate limiter, the
    /// exception handler, which clears headers) cannot leave them out.
    /// </summary>
    public static IApplicationBuilder UseMonitorSecurityHeaders(this IApplicationBuilder app)
    {
        var hstsMaxAge = app.ApplicationServices.GetRequiredService<IOptions<WebOptions>>().Value.HstsMaxAge;
        var hsts = "max-age=" + ((long)hstsMaxAge.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return app.Use((context, next) =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                if (context.Request.IsHttps)
                    headers.StrictTransportSecurity = hsts;
                return Task.CompletedTask;
            });
            return next(context);
        });
    }
}
