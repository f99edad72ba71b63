using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MonitorService.Accounts;
using MonitorService.Checks.Drafts;
using MonitorService.Web.Queries;

namespace MonitorService.Web.Api;

/// <summary>
/// <c>POST /api/v1/domains/{id}/dry-run</c>: a draft policy and/or MX set judged against the domain's latest stored
/// report, as the domain page's "Try a draft" box does. No network work, nothing stored.
/// </summary>
public static class DraftEndpoints
{
    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/domains/{id:guid}/dry-run", DryRunAsync).WithSummary("Judges a draft policy (at most 64 KiB) and/or MX set (HOST or HOST:PREF) against what the latest check saw; nothing is stored.");

    private static async Task<Results<Ok<DraftReport>, ProblemHttpResult>> DryRunAsync(
        Guid id, HttpContext http, TeamAccess access, DomainQueries queries, TimeProvider time, DryRunRequest request, CancellationToken ct)
    {
        if (await queries.GetAsync(await access.ScopeAsync(http.User, ct), id, ct) is not { } domain)
            return TypedResults.Problem(new ProblemDetails { Status = 404, Title = "No such domain", Detail = $"There is no domain {id} in your team." });
        IReadOnlyList<Checks.Dns.MxRecordData>? mx = null;
        if (request.Mx is { } items && !MxList.TryParse(items, out mx, out var mxError))
            return Invalid("mx", $"mx: {mxError}.");
        var draft = new PolicyDraft(request.Policy, mx);
        if (draft.Problem() is { } problem)
            return Invalid(request.Policy is null ? "request" : "policy", problem);
        if (await queries.LatestReportAsync(domain, ct) is not { } latest)
            return TypedResults.Problem(new ProblemDetails { Status = 409, Title = "Not checked yet", Detail = $"{domain.Name} has not been checked yet; a draft is judged against the latest check." });
        return TypedResults.Ok(DraftEvaluator.Evaluate(latest, draft, time.GetUtcNow()));
    }

    private static ProblemHttpResult Invalid(string field, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = 400,
            Title = "The request is not valid",
            Detail = message,
        });
}

/// <param name="Policy">The draft policy body; null: the published one.</param>
/// <param name="Mx">The hypothetical MX set ("HOST" or "HOST:PREF"); null: the live one.</param>
public sealed record DryRunRequest(string? Policy, IReadOnlyList<string>? Mx);
