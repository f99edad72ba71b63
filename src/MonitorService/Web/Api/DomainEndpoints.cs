using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MonitorService.Accounts;
using MonitorService.Checks.Model;
using MonitorService.Domains;
using MonitorService.Scheduling;
using MonitorService.Storage.Entities;
using MonitorService.Web.Queries;
using MonitorService.Web.Security;

namespace MonitorService.Web.Api;

/// <summary>
/// <c>/api/v1/domains</c>: the same operations as the dashboard, within the token's team. A domain of another team
/// answers 404 like one that does not exist.
/// </summary>
public static class DomainEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/domains", ListAsync).WithSummary("Domains of the token's team, paged; filter by status, search by name, sort by name|status|checked.");
        api.MapPost("/domains", AddAsync).WithSummary("Registers a domain; its first check runs right away.");
        api.MapGet("/domains/{id:guid}", GetAsync).WithSummary("One domain with its schedule and summary.");
        api.MapPatch("/domains/{id:guid}", UpdateAsync).WithSummary("Changes the interval, enabled flag or recipients.");
        api.MapDelete("/domains/{id:guid}", DeleteAsync).WithSummary("Removes the domain and its history.");
        api.MapPost("/domains/{id:guid}/check", CheckNowAsync).WithSummary("Runs a check as soon as a node is free; at most once a minute per domain (429 with Retry-After otherwise).");
        api.MapGet("/domains/{id:guid}/report", ReportAsync).WithSummary("The latest check report (findings with RFC references and fixes).");
        api.MapGet("/domains/{id:guid}/observations", ObservationsAsync).WithSummary("The timeline: stretches of unchanged state, newest first.");
        api.MapGet("/domains/{id:guid}/snapshots/{snapshotId:long}", SnapshotAsync).WithSummary("A stored part (mx, txt, policy, tlsrpt, certificates, report) from the timeline.");
        api.MapGet("/domains/{id:guid}/diff", DiffAsync).WithSummary("Line diff of two policy versions (kind=policy) or MX sets (kind=mx); defaults to the last two.");
        api.MapGet("/domains/{id:guid}/events", EventsAsync).WithSummary("Drift events, newest first.");
        api.MapGet("/domains/{id:guid}/incidents", IncidentsAsync).WithSummary("Confirmed incidents; state=open (default) or all.");
        api.MapGet("/domains/{id:guid}/cache", CacheAsync).WithSummary("The sender-cache clock: policies senders may still hold, and until when.");
    }

    private static async Task<Results<Ok<Paged<DomainResponse>>, ProblemHttpResult>> ListAsync(
        HttpContext http, TeamAccess access, DomainListQueries queries, int? page, int? pageSize, string? status, string? search, string? sort, CancellationToken ct)
    {
        if (status is not null && !DomainListQuery.Statuses.Contains(status))
            return Invalid("status", $"status must be one of {string.Join(", ", DomainListQuery.Statuses)}.");
        if (sort is not null && !DomainListQuery.Sorts.Contains(sort))
            return Invalid("sort", $"sort must be one of {string.Join(", ", DomainListQuery.Sorts)}.");
        if (search?.Length > DomainListQuery.MaxSearchLength)
            return Invalid("search", $"search is at most {DomainListQuery.MaxSearchLength} characters (a domain name is no longer).");
        if (BadPage(page, pageSize) is { } bad)
            return bad;
        var (p, size) = Paging.Clamp(page, pageSize);
        var scope = await access.ScopeAsync(http.User, ct);
        var rows = await queries.ListAsync(scope, new DomainListQuery(status, null, search, sort ?? "name", p, size), ct);
        return TypedResults.Ok(new Paged<DomainResponse>(rows.Items.Select(r => new DomainResponse(
            r.Id, r.Name, r.Team, r.Status, r.Enabled, r.IntervalSeconds, r.Recipients, r.CreatedAt, r.LastCheckedAt, null, r.OpenIncidents, r.Mode)).ToList(), rows.Page, rows.PageSize, rows.Total));
    }

    private static async Task<Results<Created<DomainResponse>, ProblemHttpResult>> AddAsync(
        HttpContext http, TeamAccess access, UserDirectory directory, DomainRegistry registry, AddDomainRequest request, CancellationToken ct)
    {
        var scope = await access.ScopeAsync(http.User, ct);
        if (string.IsNullOrWhiteSpace(request.Name))
            return Invalid("name", "name is required (such as example.com).");
        var team = (await directory.TeamsAsync(scope, ct)).Single();
        try
        {
            var domain = await registry.AddAsync(request.Name, team.Name, Interval(request.IntervalSeconds), request.Recipients, ct);
            domain.Team = team;
            return TypedResults.Created($"/api/v1/domains/{domain.Id}", ToResponse(domain, null));
        }
        catch (DomainRequestException e)
        {
            return e.Kind switch
            {
                DomainError.QuotaReached => TypedResults.Problem(statusCode: 409, title: "Domain quota reached", detail: e.Message),
                DomainError.AlreadyRegistered => TypedResults.Problem(statusCode: 409, title: "Already registered", detail: e.Message),
                _ => Invalid(ApiField(e.Field) ?? "name", e.Message),
            };
        }
    }

    private static async Task<Results<Ok<DomainResponse>, ProblemHttpResult>> GetAsync(
        Guid id, HttpContext http, TeamAccess access, DomainQueries queries, IDomainSchedule schedule, CancellationToken ct)
    {
        var domain = await FindAsync(id, http, access, queries, ct);
        if (domain is null)
            return NotFound(id);
        var open = (await queries.IncidentsAsync(domain, openOnly: true, ct)).Count;
        var report = await queries.LatestReportAsync(domain, ct);
        return TypedResults.Ok(ToResponse(domain, await schedule.NextCheckAsync(id, ct)) with { OpenIncidents = open, Mode = report?.Policy?.Mode });
    }

    private static async Task<Results<Ok<DomainResponse>, ProblemHttpResult>> UpdateAsync(
        Guid id, HttpContext http, TeamAccess access, DomainQueries queries, DomainRegistry registry, UpdateDomainRequest request, CancellationToken ct)
    {
        var domain = await FindAsync(id, http, access, queries, ct);
        if (domain is null)
            return NotFound(id);
        try
        {
            var updated = await registry.UpdateAsync(id, Interval(request.IntervalSeconds), request.Enabled, request.Recipients, ct);
            updated.Team = domain.Team;
            return TypedResults.Ok(ToResponse(updated, null));
        }
        catch (DomainRequestException e)
        {
            return Invalid(ApiField(e.Field) ?? "request", e.Message);
        }
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        Guid id, HttpContext http, TeamAccess access, DomainQueries queries, DomainRegistry registry, CancellationToken ct)
    {
        if (await FindAsync(id, http, access, queries, ct) is null)
            return NotFound(id);
        await registry.RemoveAsync(id, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Accepted<CheckQueuedResponse>, ProblemHttpResult>> CheckNowAsync(
        Guid id, HttpContext http, TeamAccess access, DomainQueries queries, DomainRegistry registry, CancellationToken ct)
    {
        if (await FindAsync(id, http, access, queries, ct) is null)
            return NotFound(id);
        var request = await registry.RequestCheckNowAsync(id, ct);
        if (!request.Granted)
        {
            var seconds = RateLimitRejection.Seconds(request.RetryAfter);
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return TypedResults.Problem(Problem(429, "Checked moments ago", $"Check now is possible once a minute per domain: try again in {seconds} s."));
        }
        return TypedResults.Accepted($"/api/v1/domains/{id}/report", new CheckQueuedResponse(id, "The check is queued; the report changes when it has run."));
    }

    private static async Task<Results<Ok<CheckReport>, ProblemHttpResult>> ReportAsync(
        Guid id, HttpContext http, TeamAccess access, DomainQueries queries, CancellationToken ct)
    {
        var domain = await FindAsync(id, http, access, queries, ct);
        if (domain is null)
            return NotFound(id);
        var report = await queries.LatestReportAsync(domain, ct);
        return report is null
            ? TypedResults.Problem(Problem(404, "No report yet", $"{domain.Name} has not been checked yet; try again in a moment."))
            : TypedResults.Ok(report);
    }

    private static async Task<Results<Ok<Paged<ObservationView>>, ProblemHttpResult>> ObservationsAsync(
        Guid id, HttpContext http, TeamAccess access, DomainQueries queries, int? page, int? pageSize, CancellationToken ct)
    {
        if (BadPage(page, pageSize) is { } bad)
            return bad;
        if (await FindAsync(id, http, access, queries, ct) is not { } domain)
            return NotFound(id);
        var (p, size) = Paging.Clamp(page, pageSize);
        return TypedResults.Ok(await queries.ObservationsAsync(domain, p, size, ct));
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> SnapshotAsync(
        Guid id, long snapshotId, HttpContext http, TeamAccess access, DomainQueries queries, CancellationToken ct)
    {
        if (await FindAsync(id, http, access, queries, ct) is null)
            return NotFound(id);
        var snapshot = await queries.SnapshotAsync(id, snapshotId, ct);
        return snapshot is null
            ? TypedResults.Problem(Problem(404, "No such snapshot", $"Snapshot {snapshotId} is not part of this domain's history."))
            : TypedResults.Text($$"""{"id":{{snapshot.Id}},"kind":"{{snapshot.Kind}}","createdAt":"{{snapshot.CreatedAt:O}}","content":{{snapshot.Content}}}""", "application/json");
    }

    private static async Task<Results<Ok<DiffResponse>, ProblemHttpResult>> DiffAsync(
        Guid id, HttpContext http, TeamAccess access, DomainQueries queries, string? kind, long? from, long? to, CancellationToken ct)
    {
        kind ??= "policy";
        if (kind is not ("policy" or "mx"))
            return Invalid("kind", "kind must be policy or mx.");
        if (await FindAsync(id, http, access, queries, ct) is not { } domain)
            return NotFound(id);
        var versions = kind == "policy" ? await queries.PolicyVersionsAsync(domain, ct) : await queries.MxVersionsAsync(domain, ct);
        var pair = DiffSelection.Pick(versions, from, to);
        if (pair is null)
            return Invalid(from is null && to is null ? "kind" : "from", from is null && to is null
                ? $"There are fewer than two {kind} versions to compare yet."
                : $"from and to must be snapshot ids of this domain's {kind} versions.");
        var (older, newer) = pair.Value;
        var lines = LineDiff.Compute(LineDiff.Lines(older.Text), LineDiff.Lines(newer.Text));
        return TypedResults.Ok(new DiffResponse(kind, older.SnapshotId, newer.SnapshotId,
            lines.Select(l => new DiffLine(l.Kind.ToString().ToLowerInvariant(), l.Left, l.Right)).ToList()));
    }

    private static async Task<Results<Ok<Paged<EventView>>, ProblemHttpResult>> EventsAsync(
        Guid id, HttpContext http, TeamAccess access, DomainQueries queries, int? page, int? pageSize, CancellationToken ct)
    {
        if (BadPage(page, pageSize) is { } bad)
            return bad;
        if (await FindAsync(id, http, access, queries, ct) is null)
            return NotFound(id);
        var (p, size) = Paging.Clamp(page, pageSize);
        return TypedResults.Ok(await queries.EventsAsync(id, p, size, ct));
    }

    private static async Task<Results<Ok<IReadOnlyList<IncidentView>>, ProblemHttpResult>> IncidentsAsync(
        Guid id, HttpContext http, TeamAccess access, DomainQueries queries, string? state, CancellationToken ct)
    {
        if (state is not (null or "open" or "all"))
            return Invalid("state", "state must be open or all.");
        if (await FindAsync(id, http, access, queries, ct) is not { } domain)
            return NotFound(id);
        return TypedResults.Ok(await queries.IncidentsAsync(domain, state != "all", ct));
    }

    private static async Task<Results<Ok<IReadOnlyList<CacheWindowView>>, ProblemHttpResult>> CacheAsync(
        Guid id, HttpContext http, TeamAccess access, DomainQueries queries, CancellationToken ct)
    {
        if (await FindAsync(id, http, access, queries, ct) is not { } domain)
            return NotFound(id);
        return TypedResults.Ok(await queries.CacheWindowsAsync(domain, ct));
    }

    private static async Task<MonitoredDomain?> FindAsync(Guid id, HttpContext http, TeamAccess access, DomainQueries queries, CancellationToken ct) =>
        await queries.GetAsync(await access.ScopeAsync(http.User, ct), id, ct);

    private static DomainResponse ToResponse(MonitoredDomain d, DateTimeOffset? next) => new(
        d.Id, d.Name, d.Team?.Name ?? "", d.Status, d.Enabled, d.IntervalSeconds, d.Recipients, d.CreatedAt, d.LastCheckedAt, next, null, null);

    private static TimeSpan? Interval(int? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : null;

    /// <summary>Checked before any query: out-of-range values are refused, not clamped, so a client learns its mistake.</summary>
    private static ProblemHttpResult? BadPage(int? page, int? pageSize) =>
        Paging.Problem(page, pageSize) is var (field, message) ? Invalid(field, message) : null;

    /// <summary>The API's name of the request field a domain error names.</summary>
    private static string? ApiField(string? field) => field switch
    {
        "interval" => "intervalSeconds",
        null => null,
        _ => field,
    };

    private static ProblemHttpResult Invalid(string field, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = 400,
            Title = "The request is not valid",
            Detail = message,
        });

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(Problem(404, "No such domain", $"There is no domain {id} in your team."));

    private static ProblemDetails Problem(int status, string title, string detail) => new() { Status = status, Title = title, Detail = detail };
}
