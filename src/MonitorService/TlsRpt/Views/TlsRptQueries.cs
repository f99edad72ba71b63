using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using MonitorService.Monitoring;
using MonitorService.Storage;
using MonitorService.Storage.Entities;
using MonitorService.TlsRpt.Correlation;

namespace MonitorService.TlsRpt.Views;

/// <summary>
/// Reads what senders reported about a registered domain: the one builder behind the domain page, the API, the CLI
/// and the digest. Reports are keyed by domain name and shown to a registration as <see cref="TlsRptVisibility"/>
/// says; the findings that explain failures are the registration's own. Every read is bounded (a range of at most a
/// year, top-N lists).
/// </summary>
public sealed class TlsRptQueries(IDbContextFactory<MonitorDbContext> dbFactory)
{
    /// <summary>Distinct failure rows returned at most (the busiest first): a report can name thousands of sending IPs.</summary>
    public const int MaxFailureRows = 500;
    public const int MaxOrganizations = 200;
    public const int MaxSenderPolicies = 100;

    public async Task<TlsRptSummary> SummaryAsync(MonitoredDomain domain, TlsRptRange range, CancellationToken ct)
    {
        // Independent reads, each on its own connection, side by side: a page waits for the slowest, not for the sum.
        var reports = ReadAsync(db => Policies(db, domain, range).Select(p => p.ReportId).Distinct().CountAsync(ct), ct);
        var days = ReadAsync(db => Policies(db, domain, range).GroupBy(p => p.ReportDay)
            .Select(g => new TlsRptDay(g.Key, g.Sum(p => p.SuccessfulSessions), g.Sum(p => p.FailedSessions)))
            .ToListAsync(ct), ct);
        var organizations = ReadAsync(db => Policies(db, domain, range).GroupBy(p => p.OrganizationName)
            .Select(g => new { Name = g.Key, Successful = g.Sum(p => p.SuccessfulSessions), Failed = g.Sum(p => p.FailedSessions) })
            .OrderByDescending(o => o.Failed).ThenByDescending(o => o.Successful).ThenBy(o => o.Name)
            .Take(MaxOrganizations)
            .ToListAsync(ct), ct);
        var failures = ReadAsync(async db => await FailureRowsAsync(db, domain, range, await FindingPeriodsAsync(db, domain.Id, ct), ct), ct);
        await Task.WhenAll(reports, days, organizations, failures);
        return new TlsRptSummary(domain.Name, range.From, range.To, await reports, DailySeries.Fill(range.From, range.To, await days),
            (await organizations).Select(o => new TlsRptOrganization(o.Name, o.Successful, o.Failed)).ToList(), await failures);
    }

    private async Task<T> ReadAsync<T>(Func<MonitorDbContext, Task<T>> read, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await read(db);
    }

    /// <summary>The STS policies senders applied, per organisation and policy text, judged against what we observed then.</summary>
    public async Task<IReadOnlyList<SenderPolicyView>> SenderPoliciesAsync(MonitoredDomain domain, TlsRptRange range, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var command = await RawSql.CommandAsync(db, $"""
            SELECT organization_name, policy_strings, min(report_day), max(report_day), sum(successful_sessions), sum(failed_sessions)
            FROM tlsrpt_policies p
            WHERE domain_name = @domain AND report_day BETWEEN @from AND @to AND policy_type = 'sts' AND {TlsRptVisibility.SqlCondition}
            GROUP BY organization_name, policy_strings
            ORDER BY max(report_day) DESC, organization_name
            LIMIT @limit
            """, ct);
        AddRange(command, domain, range);
        command.Parameters.Add(new Npgsql.NpgsqlParameter("limit", MaxSenderPolicies));
        var rows = new List<(string Org, string[] Strings, DateOnly First, DateOnly Last, long Ok, long Failed)>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                rows.Add((reader.GetString(0), reader.GetFieldValue<string[]>(1), reader.GetFieldValue<DateOnly>(2), reader.GetFieldValue<DateOnly>(3), reader.GetInt64(4), reader.GetInt64(5)));
        }
        if (rows.Count == 0)
            return [];
        var history = await DomainHistoryReader.PolicyHistoryAsync(db, domain.Id, OpenObservationEnd.Of(domain), ct);
        return rows.Select(r => new SenderPolicyView(r.Org, r.Strings, r.First, r.Last, r.Ok, r.Failed, SenderPolicyCheck.Judge(r.Strings, r.First, r.Last, history))).ToList();
    }

    /// <summary>The registration's team key, and whether reports at the shared address are shown to it (<see cref="TlsRptVisibility"/>).</summary>
    public async Task<TlsRptAddressing> AddressingAsync(MonitoredDomain domain, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.Teams.AsNoTracking().Where(t => t.Id == domain.TeamId)
            .Select(t => new { t.TlsRptKey, Registrations = db.Domains.Count(d => d.Name == domain.Name) })
            .SingleAsync(ct);
        return new TlsRptAddressing(row.TlsRptKey, row.Registrations == 1);
    }

    /// <summary>Report policies whose summary total of failed sessions disagrees with the sum of their failure details (RFC 8460 §4.4 wants them equal).</summary>
    public async Task<IReadOnlyList<TotalsMismatchView>> TotalsMismatchesAsync(MonitoredDomain domain, TlsRptRange range, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await Policies(db, domain, range)
            .Where(p => p.FailedSessions != p.FailureDetailSessions)
            .OrderByDescending(p => p.ReportDay).ThenBy(p => p.OrganizationName)
            .Take(50)
            .Select(p => new TotalsMismatchView(p.ReportDay, p.OrganizationName, p.FailedSessions, p.FailureDetailSessions))
            .ToListAsync(ct);
    }

    private static IQueryable<TlsRptPolicy> Policies(MonitorDbContext db, MonitoredDomain domain, TlsRptRange range) =>
        db.TlsRptPolicies.AsNoTracking().Where(p => p.DomainName == domain.Name && p.ReportDay >= range.From && p.ReportDay <= range.To).VisibleTo(db, domain);

    /// <summary>The registration's confirmed findings over time (incidents), for the correlation.</summary>
    internal static async Task<IReadOnlyList<FindingPeriod>> FindingPeriodsAsync(MonitorDbContext db, Guid domainId, CancellationToken ct) =>
        await db.Incidents.AsNoTracking()
            .Where(i => i.DomainId == domainId && i.OpenedAt != null)
            .OrderByDescending(i => i.FirstSeenAt)
            .Take(2000)
            .Select(i => new FindingPeriod(i.Code, i.Subject, i.FirstSeenAt, i.ClosedAt))
            .ToListAsync(ct);

    // Per day first (the explanation depends on what was open that day), then merged over the range.
    private static async Task<IReadOnlyList<TlsRptFailureRow>> FailureRowsAsync(MonitorDbContext db, MonitoredDomain domain, TlsRptRange range, IReadOnlyList<FindingPeriod> findings, CancellationToken ct)
    {
        await using var command = await RawSql.CommandAsync(db, $"""
            SELECT p.report_day, f.result_type, p.organization_name, f.receiving_mx_hostname, f.receiving_ip, f.sending_mta_ip, f.failure_reason_code, sum(f.failed_sessions)
            FROM tlsrpt_policies p JOIN tlsrpt_failures f ON f.policy_id = p.id
            WHERE p.domain_name = @domain AND p.report_day BETWEEN @from AND @to AND {TlsRptVisibility.SqlCondition}
            GROUP BY 1, 2, 3, 4, 5, 6, 7
            """, ct);
        AddRange(command, domain, range);
        var merged = new Dictionary<(string, string, string?, string?, string?, string?, string?), long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var day = reader.GetFieldValue<DateOnly>(0);
            var resultType = reader.GetString(1);
            var mx = Text(reader, 3);
            var key = (resultType, reader.GetString(2), mx, Text(reader, 4), Text(reader, 5), Text(reader, 6), FailureCorrelator.Explain(resultType, mx, day, findings));
            merged[key] = merged.GetValueOrDefault(key) + reader.GetInt64(7);
        }
        return merged.OrderByDescending(m => m.Value).ThenBy(m => m.Key.Item1, StringComparer.Ordinal).ThenBy(m => m.Key.Item2, StringComparer.Ordinal)
            .Take(MaxFailureRows)
            .Select(m => new TlsRptFailureRow(m.Key.Item1, m.Key.Item2, m.Key.Item3, m.Key.Item4, m.Key.Item5, m.Key.Item6, m.Value, m.Key.Item7))
            .ToList();
    }

    private static string? Text(DbDataReader reader, int i) => reader.IsDBNull(i) ? null : reader.GetString(i);

    private static void AddRange(DbCommand command, MonitoredDomain domain, TlsRptRange range)
    {
        command.Parameters.Add(new Npgsql.NpgsqlParameter("domain", domain.Name));
        command.Parameters.Add(new Npgsql.NpgsqlParameter("team", domain.TeamId));
        command.Parameters.Add(new Npgsql.NpgsqlParameter("from", range.From));
        command.Parameters.Add(new Npgsql.NpgsqlParameter("to", range.To));
    }
}

/// <summary>A team's report key and whether the shared address's reports are shown for this registration.</summary>
public sealed record TlsRptAddressing(string TeamKey, bool SharedAddressShown);

/// <summary>One STS policy text an organisation applied over some days, with our verdict on it.</summary>
public sealed record SenderPolicyView(string Organization, IReadOnlyList<string> PolicyStrings, DateOnly FirstDay, DateOnly LastDay, long Successful, long Failed, SenderPolicyJudgement Judgement);

/// <summary>A report policy whose <c>total-failure-session-count</c> is not the sum of its failure details.</summary>
public sealed record TotalsMismatchView(DateOnly Day, string Organization, long FailedTotal, long FailureDetailSum);
