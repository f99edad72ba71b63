using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using MonitorService.Accounts;
using MonitorService.TlsRpt.Views;
using MonitorService.Web.Queries;

namespace MonitorService.Web.Api;

/// <summary>
/// <c>/api/v1/domains/{id}/tlsrpt</c>: what senders reported about one of the token's team's domains, in the same
/// JSON as <c>MonitorService domains tlsrpt --format json</c> (one builder, <see cref="TlsRptQueries"/>).
/// </summary>
public static class TlsRptEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/domains/{id:guid}/tlsrpt", SummaryAsync)
            .WithSummary("TLS-RPT reports about the domain: sessions per report day, per organisation, and failures with the finding that explains them. from/to are UTC report days (yyyy-MM-dd), at most 366 days; the last 30 days by default.");
        api.MapGet("/domains/{id:guid}/tlsrpt/setup", SetupAsync)
            .WithSummary("Where senders must send this team's TLS-RPT reports: the team's own addresses, whether reports at the shared address are shown for this domain, and the record to publish when the domain's record (from the latest check) does not send reports to the team yet (null when it does, or before the first check).");
    }

    /// <summary>The domain page's setup help, for API users.</summary>
    public sealed record TlsRptSetupView(IReadOnlyList<string> TeamAddresses, bool SharedAddressShown, TlsRptSetupRecord? Record);

    public sealed record TlsRptSetupRecord(string Name, string Value, string Reason);

    private static async Task<Results<Ok<TlsRptSetupView>, ProblemHttpResult>> SetupAsync(
        Guid id, HttpContext http, TeamAccess access, DomainQueries queries, TlsRptQueries tlsRpt, Microsoft.Extensions.Options.IOptions<TlsRptAddressOptions> options, CancellationToken ct)
    {
        var domain = await queries.GetAsync(await access.ScopeAsync(http.User, ct), id, ct);
        if (domain is null)
            return TypedResults.Problem(new ProblemDetails { Status = 404, Title = "No such domain", Detail = $"There is no domain {id} in your team." });
        var addressing = await tlsRpt.AddressingAsync(domain, ct);
        var addresses = options.Value.For(addressing.TeamKey);
        var advice = TlsRptSetupHelp.ForLatest(domain.Name, await queries.LatestReportAsync(domain, ct), addresses, addressing.SharedAddressShown);
        return TypedResults.Ok(new TlsRptSetupView(addresses.Team, addressing.SharedAddressShown,
            advice is null ? null : new TlsRptSetupRecord(advice.RecordName, advice.RecordValue, advice.Reason.ToString())));
    }

    private static async Task<Results<Ok<TlsRptSummary>, ProblemHttpResult>> SummaryAsync(
        Guid id, HttpContext http, TeamAccess access, DomainQueries queries, TlsRptQueries tlsRpt, TimeProvider time, string? from, string? to, CancellationToken ct)
    {
        if (!TryDay(from, out var start))
            return Invalid("from", "from must be a date such as 2026-11-30.");
        if (!TryDay(to, out var end))
            return Invalid("to", "to must be a date such as 2026-11-30.");
        var (range, error) = TlsRptRange.Of(start, end, time.GetUtcNow());
        if (range is null)
            return Invalid(start > end ? "from" : "to", error!);
        var domain = await queries.GetAsync(await access.ScopeAsync(http.User, ct), id, ct);
        if (domain is null)
            return TypedResults.Problem(new ProblemDetails { Status = 404, Title = "No such domain", Detail = $"There is no domain {id} in your team." });
        return TypedResults.Ok(await tlsRpt.SummaryAsync(domain, range, ct));
    }

    private static bool TryDay(string? text, out DateOnly? day)
    {
        day = null;
        if (text is null)
            return true;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed))
            return false;
        day = parsed;
        return true;
    }

    private static ProblemHttpResult Invalid(string field, string message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Status = 400,
            Title = "The request is not valid",
            Detail = message,
        });
}
