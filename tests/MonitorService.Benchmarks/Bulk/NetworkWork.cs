using MonitorService.Benchmarks.Infrastructure;
using MonitorService.Testing;

namespace MonitorService.Benchmarks.Bulk;

/// <summary>
/// What one pass asked of the loopback servers, from their own logs. Shows that every subject did the work its row
/// claims (mailauth's resolver could cache, a skipped probe could hide) and how much work each does per domain.
/// </summary>
public sealed record NetworkWork(int DnsQuestions, int PolicyRequests, int SmtpSessions)
{
    /// <summary>Empties the servers' logs, so the next <see cref="Read"/> counts one pass (and the logs stay small).</summary>
    public static void Reset(CheckEnvironment env)
    {
        env.Dns.ClearQueries();
        env.Https.ClearLog();
        env.Smtp.ClearLog();
    }

    public static NetworkWork Read(CheckEnvironment env) =>
        new(env.Dns.Queries.Count, env.Https.Requests.Count, env.Smtp.Connections.Count);

    public string PerDomain(int domains) => string.Join(" / ",
        new[] { DnsQuestions, PolicyRequests, SmtpSessions }.Select(n => ResultTable.N((double)n / domains, "0.##")));
}
