using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using MonitorService.Storage.Entities;
using MonitorService.TlsRpt;
using MonitorService.TlsRpt.Intake;
using MonitorService.Web.Security;

namespace MonitorService.Web.TlsRpt;

/// <summary>
/// The HTTPS intake of TLS-RPT reports (RFC 8460 §5.3: <c>rua=https://…</c>): <c>POST TlsRpt:Path</c> with
/// application/tlsrpt+gzip or application/tlsrpt+json. Anonymous — senders have no credentials — so what protects it
/// is: only reports about registered domains are stored, the body and its inflated size are capped, and each client
/// address has a budget of TlsRpt:RequestsPerAddress per Web:RateLimits:Window. <c>POST TlsRpt:Path/KEY</c> is a team's
/// own address (<see cref="Storage.Entities.Team.TlsRptKey"/>): reports there are shown to that team (see
/// <see cref="MonitorService.TlsRpt.Views.TlsRptVisibility"/>); an unknown key is 404. These are the only anonymous
/// POSTs; they set no cookie and read none, so anti-forgery has nothing to protect here.
/// </summary>
public static class TlsRptEndpoint
{
    public const string RateLimitPolicy = "tlsrpt";

    public static IServiceCollection AddTlsRptHttpsIntake(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddTlsRptIntake(configuration);
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<TlsRptIntakeOptions>>().Value;
            return new RequestBodyCapOverride(o.Path, o.MaxBodyBytes);
        });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<TlsRptIntakeOptions>, IOptions<WebOptions>>((o, tlsrpt, web) =>
            o.AddPolicy(RateLimitPolicy, http => RateLimitPartition.GetFixedWindowLimiter("tlsrpt:" + ClientAddress.Key(http), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = tlsrpt.Value.RequestsPerAddress,
                Window = web.Value.RateLimits.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            })));
        return services;
    }

    public static WebApplication MapTlsRptHttpsIntake(this WebApplication app)
    {
        var path = app.Services.GetRequiredService<IOptions<TlsRptIntakeOptions>>().Value.Path.TrimEnd('/');
        // The shared address and the teams' own: the same anonymous, rate-limited intake.
        var routes = app.MapGroup(path).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(RateLimitPolicy).ExcludeFromDescription();
        routes.MapPost("", (HttpContext http, ITlsRptIntake intake, IOptions<TlsRptIntakeOptions> options) => ReceiveAsync(http, intake, options, null));
        routes.MapPost("/{key}", (HttpContext http, ITlsRptIntake intake, IOptions<TlsRptIntakeOptions> options, string key) => ReceiveAsync(http, intake, options, key));
        return app;
    }

    private static async Task ReceiveAsync(HttpContext http, ITlsRptIntake intake, IOptions<TlsRptIntakeOptions> options, string? teamKey)
    {
        var settings = options.Value;
        var ct = http.RequestAborted;
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out var type)
            || !(type.MediaType.Equals("application/tlsrpt+gzip", StringComparison.OrdinalIgnoreCase) || type.MediaType.Equals("application/tlsrpt+json", StringComparison.OrdinalIgnoreCase)))
        {
            await AnswerAsync(http, StatusCodes.Status415UnsupportedMediaType,
                $"TLS-RPT reports are accepted as application/tlsrpt+gzip or application/tlsrpt+json (RFC 8460 §5.3), not '{http.Request.ContentType}'.");
            return;
        }
        var tooLarge = $"The report is too large: at most {settings.MaxBodyBytes.ToString(CultureInfo.InvariantCulture)} bytes (TlsRpt:MaxBodyBytes).";
        if (http.Request.ContentLength > settings.MaxBodyBytes)
        {
            await AnswerAsync(http, StatusCodes.Status413PayloadTooLarge, tooLarge);
            return;
        }
        byte[]? body;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            deadline.CancelAfter(settings.BodyReadTimeout);
            try
            {
                body = await TlsRptBodyReader.ReadAsync(http.Request, settings.MaxBodyBytes, deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                await AnswerAsync(http, StatusCodes.Status408RequestTimeout,
                    $"The report did not arrive within {settings.BodyReadTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (TlsRpt:BodyReadTimeout).");
                return;
            }
        }
        if (body is null)
        {
            await AnswerAsync(http, StatusCodes.Status413PayloadTooLarge, tooLarge);
            return;
        }
        var result = await intake.AcceptReportAsync(body, new TlsRptOrigin(TlsRptSources.Https, ClientAddress.Key(http), teamKey), ct);
        var (status, text) = result.Outcome switch
        {
            TlsRptIntakeOutcome.Stored => (StatusCodes.Status202Accepted, "Report accepted."),
            TlsRptIntakeOutcome.Duplicate => (StatusCodes.Status200OK, "Report already received."),
            // Understood, and refused: this service takes reports only about the domains registered with it.
            TlsRptIntakeOutcome.NotOurs => (StatusCodes.Status403Forbidden, "Not accepted: " + result.Reason),
            TlsRptIntakeOutcome.UnknownAddress => (StatusCodes.Status404NotFound, "No such report address: " + result.Reason),
            _ => (StatusCodes.Status400BadRequest, "Not a valid TLS-RPT report: " + result.Reason),
        };
        await AnswerAsync(http, status, text);
    }

    private static async Task AnswerAsync(HttpContext http, int status, string text)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(text + "\n", http.RequestAborted);
    }
}
