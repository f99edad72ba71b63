using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MonitorService.Accounts;
using MonitorService.Plans;
using MonitorService.Storage.Entities;
using MonitorService.Web.Queries;

namespace MonitorService.Web.Api;

/// <summary>
/// <c>/api/v1/domains/{id}/plans</c>: plan an MX change, follow it, cancel it. Within the token's team like every
/// domain endpoint (another team's domain answers 404).
/// </summary>
public static class PlanEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/domains/{id:guid}/plans", CreateAsync).WithSummary("Plans a change to newMx (HOST or HOST:PREF), optionally with a new mode (enforce|testing) or maxAge; one active plan per domain.");
        api.MapGet("/domains/{id:guid}/plans", HistoryAsync).WithSummary("The domain's plans, newest first.");
        api.MapGet("/domains/{id:guid}/plans/active", ActiveAsync).WithSummary("The active plan: its steps, exact texts, earliest safe times and statuses.");
        api.MapDelete("/domains/{id:guid}/plans/active", CancelAsync).WithSummary("Cancels the active plan (it stays in the history).");
    }

    private static async Task<Results<Created<PlanView>, ProblemHttpResult>> CreateAsync(
        Guid id, HttpContext http, TeamAccess access, DomainQueries queries, ChangePlanService plans, CreatePlanRequest request, CancellationToken ct)
    {
        if (await FindAsync(id, http, access, queries, ct) is not { } domain)
            return NotFound(id);
        try
        {
            var target = PlanTarget.Parse(request.NewMx, request.Mode, request.MaxAge);
            var plan = await plans.CreateAsync(id, target, CreatedBy(http), ct);
            return TypedResults.Created($"/api/v1/domains/{id}/plans/active", PlanView.Of(domain.Name, plan));
        }
        catch (PlanRequestException e)
        {
            return Problem(e);
        }
    }

    private static async Task<Results<Ok<IReadOnlyList<PlanView>>, ProblemHttpResult>> HistoryAsync(
        Guid id, HttpContext http, TeamAccess access, DomainQueries queries, ChangePlanService plans, CancellationToken ct)
    {
        if (await FindAsync(id, http, access, queries, ct) is not { } domain)
            return NotFound(id);
        IReadOnlyList<PlanView> history = (await plans.HistoryAsync(id, ct)).Select(p => PlanView.Of(domain.Name, p)).ToList();
        return TypedResults.Ok(history);
    }

    private static async Task<Results<Ok<PlanView>, ProblemHttpResult>> ActiveAsync(
        Guid id, HttpContext http, TeamAccess access, DomainQueries queries, ChangePlanService plans, CancellationToken ct)
    {
        if (await FindAsync(id, http, access, queries, ct) is not { } domain)
            return NotFound(id);
        return await plans.CurrentAsync(id, ct) is { State: ChangePlanStates.Active } plan
            ? TypedResults.Ok(PlanView.Of(domain.Name, plan))
            : NoActivePlan(domain.Name);
    }

    private static async Task<Results<Ok<PlanView>, ProblemHttpResult>> CancelAsync(
        Guid id, HttpContext http, TeamAccess access, DomainQueries queries, ChangePlanService plans, CancellationToken ct)
    {
        if (await FindAsync(id, http, access, queries, ct) is not { } domain)
            return NotFound(id);
        return await plans.CancelAsync(id, ct) is { } plan ? TypedResults.Ok(PlanView.Of(domain.Name, plan)) : NoActivePlan(domain.Name);
    }

    private static async Task<MonitoredDomain?> FindAsync(Guid id, HttpContext http, TeamAccess access, DomainQueries queries, CancellationToken ct) =>
        await queries.GetAsync(await access.ScopeAsync(http.User, ct), id, ct);

    /// <summary>Who made the plan, as the history shows it: the API token's name.</summary>
    private static string CreatedBy(HttpContext http) => $"api token {http.User.Identity?.Name ?? "?"}";

    private static ProblemHttpResult Problem(PlanRequestException e) => e.Kind switch
    {
        PlanError.Invalid => TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [e.Field ?? "request"] = [e.Message] })
        {
            Status = 400,
            Title = "The request is not valid",
            Detail = e.Message,
        }),
        PlanError.NotFound => TypedResults.Problem(new ProblemDetails { Status = 404, Title = "Not found", Detail = e.Message }),
        _ => TypedResults.Problem(new ProblemDetails { Status = 409, Title = "Not possible now", Detail = e.Message }),
    };

    private static ProblemHttpResult NoActivePlan(string domain) =>
        TypedResults.Problem(new ProblemDetails { Status = 404, Title = "No active plan", Detail = $"{domain} has no active change plan." });

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(new ProblemDetails { Status = 404, Title = "No such domain", Detail = $"There is no domain {id} in your team." });
}

/// <param name="NewMx">The MX hosts to move to: "HOST" or "HOST:PREF" (1 to 50).</param>
/// <param name="Mode">enforce or testing; the current mode when omitted.</param>
/// <param name="MaxAge">Seconds; the current max_age when omitted. Lower than now: lowered first, as its own step.</param>
public sealed record CreatePlanRequest(IReadOnlyList<string>? NewMx, string? Mode, long? MaxAge);
