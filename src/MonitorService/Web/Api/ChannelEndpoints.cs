using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MonitorService.Accounts;
using MonitorService.Channels;
using MonitorService.Storage.Entities;
using MonitorService.Web.Security;

namespace MonitorService.Web.Api;

/// <summary>
/// <c>/api/v1/channels</c>: the token's team's alert channels. A channel of another team answers 404 like one that
/// does not exist; every query is limited to the token's team. Secrets appear only in the response that made them.
/// </summary>
public static class ChannelEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/channels", ListAsync).WithSummary("The team's alert channels (webhook, slack, teams); URLs shown as scheme, host and port.");
        api.MapPost("/channels", CreateAsync).WithSummary("Adds a channel; a webhook's signing secret is in this response only.");
        api.MapGet("/channels/{id:guid}", GetAsync).WithSummary("One channel.");
        api.MapPatch("/channels/{id:guid}", UpdateAsync).WithSummary("Changes the name, URL, severity thresholds or enabled flag.");
        api.MapDelete("/channels/{id:guid}", DeleteAsync).WithSummary("Removes the channel (queued deliveries to it fail; the alert log keeps them).");
        api.MapPost("/channels/{id:guid}/test", TestAsync).WithSummary("Sends a test alert now and returns the receiver's answer; once per 10 s per channel (429 with Retry-After).");
        api.MapPost("/channels/{id:guid}/secret", NewSecretAsync).WithSummary("Replaces a webhook's signing secret; the new one is in this response only.");
    }

    private static async Task<Ok<IReadOnlyList<ChannelResponse>>> ListAsync(HttpContext http, TeamAccess access, AlertChannelService channels, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<ChannelResponse>>((await channels.ListAsync(await TeamAsync(http, access, ct), ct)).Select(ToResponse).ToList());

    private static async Task<Results<Created<ChannelCreatedResponse>, ProblemHttpResult>> CreateAsync(
        HttpContext http, TeamAccess access, AlertChannelService channels, ChannelRequest request, CancellationToken ct)
    {
        try
        {
            var (channel, secret) = await channels.CreateAsync(await TeamAsync(http, access, ct),
                new ChannelInput(request.Name, request.Kind, request.Url, request.IncidentThreshold, request.DriftThreshold, request.Enabled),
                $"token {http.User.Identity?.Name}", ct);
            NoStore(http);
            return TypedResults.Created($"/api/v1/channels/{channel.Id}", new ChannelCreatedResponse(ToResponse(channel), secret));
        }
        catch (ChannelRequestException e)
        {
            return Refused(e);
        }
    }

    private static async Task<Results<Ok<ChannelResponse>, ProblemHttpResult>> GetAsync(Guid id, HttpContext http, TeamAccess access, AlertChannelService channels, CancellationToken ct) =>
        await channels.GetAsync(await TeamAsync(http, access, ct), id, ct) is { } channel ? TypedResults.Ok(ToResponse(channel)) : NotFound(id);

    private static async Task<Results<Ok<ChannelResponse>, ProblemHttpResult>> UpdateAsync(
        Guid id, HttpContext http, TeamAccess access, AlertChannelService channels, ChannelRequest request, CancellationToken ct)
    {
        try
        {
            var updated = await channels.UpdateAsync(await TeamAsync(http, access, ct), id,
                new ChannelInput(request.Name, request.Kind, request.Url, request.IncidentThreshold, request.DriftThreshold, request.Enabled), ct);
            return updated is null ? NotFound(id) : TypedResults.Ok(ToResponse(updated));
        }
        catch (ChannelRequestException e)
        {
            return Refused(e);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, HttpContext http, TeamAccess access, AlertChannelService channels, CancellationToken ct) =>
        await channels.DeleteAsync(await TeamAsync(http, access, ct), id, ct) ? TypedResults.NoContent() : NotFound(id);

    private static async Task<Results<Ok<ChannelTestResponse>, Accepted, ProblemHttpResult>> TestAsync(
        Guid id, HttpContext http, TeamAccess access, ChannelTester tester, CancellationToken ct)
    {
        var result = await tester.TestAsync(await TeamAsync(http, access, ct), id, ct);
        if (!result.Found)
            return NotFound(id);
        if (result.RetryAfter is { } wait)
        {
            var seconds = RateLimitRejection.Seconds(wait);
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(new ProblemDetails
            {
                Status = 429, Title = "Tested moments ago", Detail = $"A channel can be tested once every {AlertChannelOptions.TestSpacing.TotalSeconds:0} s: try again in {seconds} s.",
            });
        }
        // Null: another node's delivery run took the queued test over; its attempt appears in the alert log.
        return result.Attempt is { } attempt
            ? TypedResults.Ok(new ChannelTestResponse(attempt.Outcome, attempt.Detail, attempt.Destination))
            : TypedResults.Accepted((string?)null);
    }

    private static async Task<Results<Ok<ChannelSecretResponse>, ProblemHttpResult>> NewSecretAsync(
        Guid id, HttpContext http, TeamAccess access, AlertChannelService channels, CancellationToken ct)
    {
        var secret = await channels.NewSecretAsync(await TeamAsync(http, access, ct), id, ct);
        if (secret is null)
            return TypedResults.Problem(new ProblemDetails { Status = 404, Title = "No such webhook channel", Detail = $"There is no webhook channel {id} in your team." });
        NoStore(http);
        return TypedResults.Ok(new ChannelSecretResponse(id, secret));
    }

    /// <summary>The token's one team.</summary>
    private static async Task<Guid> TeamAsync(HttpContext http, TeamAccess access, CancellationToken ct) =>
        (await access.ScopeAsync(http.User, ct)).TeamIds.Single();

    private static ChannelResponse ToResponse(AlertChannel c) => new(
        c.Id, c.Name, c.Kind, c.UrlDisplay, AlertChannelService.ThresholdOf(c.IncidentSeverities), AlertChannelService.ThresholdOf(c.DriftSeverities),
        c.Enabled, c.CreatedAt, c.CreatedBy, c.LastTestAt);

    /// <summary>A response that carries a secret is never cached.</summary>
    private static void NoStore(HttpContext http) => http.Response.Headers.CacheControl = "no-store";

    private static ProblemHttpResult Refused(ChannelRequestException e) => e.Kind switch
    {
        ChannelError.QuotaReached => TypedResults.Problem(statusCode: 409, title: "Channel quota reached", detail: e.Message),
        ChannelError.Duplicate => TypedResults.Problem(statusCode: 409, title: "Name taken", detail: e.Message),
        _ => TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [e.Field ?? "request"] = [e.Message] })
        {
            Status = 400,
            Title = "The request is not valid",
            Detail = e.Message,
        }),
    };

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(new ProblemDetails { Status = 404, Title = "No such channel", Detail = $"There is no alert channel {id} in your team." });
}
