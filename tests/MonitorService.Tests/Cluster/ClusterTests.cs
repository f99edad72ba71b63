using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;
using Xunit.Abstractions;

namespace MonitorService.Tests.Cluster;

/// <summary>
/// Three real `serve` processes sharing one PostgreSQL check 200 domains on short intervals; one node is killed with
/// SIGKILL mid-run. The database must show every domain checked once per interval, by the cluster as a whole.
/// </summary>
[Trait("Category", "Slow")]
[Collection(ExclusivePostgresCollection.Name)]
public class ClusterTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private const int DomainCount = 200;

    [Fact]
    public async Task Three_nodes_share_the_checks_and_survive_one_being_killed()
    {
        await using var harness = await MonitorHarness.StartAsync(postgres, "cluster", new() { ["Monitoring:MinimumInterval"] = "00:00:01" });
        var domains = harness.Env.PublishSyntheticDomains(DomainCount);
        foreach (var domain in domains)
            await harness.Registry.AddAsync(domain, "ops", Interval, null, CancellationToken.None);

        var settings = MonitorHarness.Settings(harness.Env);
        settings["ConnectionStrings:Monitor"] = harness.ConnectionString;
        settings["Monitoring:MinimumInterval"] = "00:00:01";
        settings["Scheduling:ReconcileInterval"] = "00:00:02";
        settings["Serilog:MinimumLevel:Default"] = "Information";
        var nodes = new[] { "node-a", "node-b", "node-c" }.Select(n => NodeProcess.Start(n, settings)).ToList();
        try
        {
            foreach (var node in nodes)
                await node.WaitReadyAsync(TimeSpan.FromSeconds(60));

            // Scheduling 200 new domains takes the nodes a few seconds (longer on a busy machine); then a few intervals.
            for (var i = 0; i < 900 && (await CountChecksAsync(harness)).Count < DomainCount; i++)
                await Task.Delay(100);
            // From here on only the checks after this point count: 200 first checks due at once on a busy machine can
            // start late enough for a domain's first regular check to run right behind its first check (a start-up
            // burst that 10-second intervals make visible, not a cluster fault).
            await Task.Delay(Interval);
            var warm = await CountChecksAsync(harness);
            await Task.Delay(Interval * 2.5);
            foreach (var node in nodes)
                Assert.True(ChecksDone(await node.MetricsAsync()) > 0, $"{node.Name} did no checks");

            // Before the kill, the cluster runs normally: strictly one check per slot.
            var beforeKill = Since(warm, await CountChecksAsync(harness));
            var normal = Problems(beforeKill, DateTimeOffset.UtcNow, allowedExtra: 0, allowedMissed: 0);
            Assert.True(normal.Count == 0, string.Join("\n", normal.Take(30)));

            var victim = nodes[2];
            victim.Kill();
            var killedAt = DateTimeOffset.UtcNow;
            output.WriteLine($"killed {victim.Name} at {killedAt:HH:mm:ss.fff}");

            // Recovery takes about the cluster check-in threshold; then three more intervals on two nodes.
            await Task.Delay(TimeSpan.FromSeconds(15) + Interval * 3);
            var observedUntil = DateTimeOffset.UtcNow;

            foreach (var node in nodes.Take(2))
                Assert.True(await node.TerminateAsync(TimeSpan.FromSeconds(40)), $"{node.Name} did not stop on SIGTERM:\n{node.Output}");
            foreach (var node in nodes.Take(2))
                Assert.True(node.ExitCode == 0, $"{node.Name} exited with {node.ExitCode}:\n{node.Output}");

            var all = await CountChecksAsync(harness);
            Assert.Equal(DomainCount, all.Count);
            var rows = Since(warm, all);
            // A check the killed node had in flight is run again by a survivor (Quartz recovery): at most one extra
            // check for at most as many domains as the node could check at once. Triggers the dead node had taken are
            // recovered once it misses its check-ins (5 s + 10 s threshold here), then run once, not as a burst: a
            // domain may miss the slots of that window, no more, and none is abandoned.
            var recoverySlots = (int)Math.Ceiling(TimeSpan.FromSeconds(20) / Interval);
            var problems = Problems(rows, observedUntil, allowedExtra: 1, allowedMissed: recoverySlots);
            var recovered = rows.Count(r => r.Checks > r.Slots + 1);
            if (recovered > 32)
                problems.Add($"{recovered} domains were checked twice in one slot; a killed node has at most 32 checks in flight");
            output.WriteLine($"checks per domain: min {rows.Min(r => r.Checks)}, max {rows.Max(r => r.Checks)}, total {rows.Sum(r => r.Checks)}, re-run after recovery: {recovered}");
            if (problems.Count > 0)
                output.WriteLine(await SchedulerStateAsync(harness, rows.Where(r => r.LastCheckedAt < observedUntil - Interval * 2).Select(r => r.Name).Take(10)));
            Assert.True(problems.Count == 0, string.Join("\n", problems.Take(30)) + $"\n({problems.Count} problems)\n{nodes[0].Output[^Math.Min(4000, nodes[0].Output.Length)..]}");
        }
        finally
        {
            foreach (var node in nodes)
                await node.DisposeAsync();
        }
    }

    /// <summary>What the store holds of some domains' schedules (their triggers and fired-trigger records), for a failure's message.</summary>
    private static async Task<string> SchedulerStateAsync(MonitorHarness harness, IEnumerable<string> names)
    {
        await using var db = harness.Db();
        var ids = await db.Domains.Where(d => names.Contains(d.Name)).Select(d => d.Id).ToListAsync();
        var jobs = ids.Select(id => "domain-" + id.ToString("D")).ToArray();
        await using var connection = new Npgsql.NpgsqlConnection(harness.ConnectionString);
        await connection.OpenAsync();
        var lines = new List<string>();
        foreach (var sql in new[]
        {
            "SELECT job_name, trigger_group, trigger_state, next_fire_time, prev_fire_time FROM qrtz_triggers WHERE job_name = ANY(@jobs) ORDER BY 1, 2",
            "SELECT job_name, trigger_group, instance_name, state, fired_time FROM qrtz_fired_triggers WHERE job_name = ANY(@jobs) ORDER BY 1",
            "SELECT instance_name, last_checkin_time FROM qrtz_scheduler_state",
        })
        {
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("jobs", jobs);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                lines.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null"
                    : reader.GetValue(i) is long ticks && ticks > 600_000_000_000_000_000 ? new DateTimeOffset(ticks, TimeSpan.Zero).ToString("HH:mm:ss.fff") : reader.GetValue(i).ToString())));
            lines.Add("--");
        }
        return string.Join("\n", lines);
    }

    private sealed record DomainChecks(string Name, string Status, int Checks, int Slots, DateTimeOffset LastCheckedAt);

    private static async Task<List<DomainChecks>> CountChecksAsync(MonitorHarness harness)
    {
        await using var db = harness.Db();
        var rows = await db.Domains.AsNoTracking().Where(d => d.Name.StartsWith("d"))
            .Select(d => new
            {
                d.Name,
                d.Status,
                d.LastCheckedAt,
                Checks = db.Observations.Where(o => o.DomainId == d.Id).Sum(o => o.CheckCount ?? 0) + d.CurrentObservationChecks,
                First = db.Observations.Where(o => o.DomainId == d.Id).Min(o => (DateTimeOffset?)o.FirstSeenAt),
            })
            .ToListAsync();
        // Once per interval: the checks fit the slots between the first and the last check.
        return rows.Where(r => r.LastCheckedAt is not null)
            .Select(r => new DomainChecks(r.Name, r.Status, r.Checks, (int)Math.Round((r.LastCheckedAt!.Value - r.First!.Value) / Interval) + 1, r.LastCheckedAt!.Value))
            .ToList();
    }

    /// <summary>Per domain, the checks after <paramref name="earlier"/> and the slots between its last check then and now.</summary>
    private static List<DomainChecks> Since(IReadOnlyList<DomainChecks> earlier, IReadOnlyList<DomainChecks> later)
    {
        var before = earlier.ToDictionary(r => r.Name);
        return later.Select(r => before.TryGetValue(r.Name, out var b)
                ? r with { Checks = r.Checks - b.Checks, Slots = (int)Math.Round((r.LastCheckedAt - b.LastCheckedAt) / Interval) }
                : r)
            .ToList();
    }

    /// <summary>What breaks "each domain checked once per interval": duplicates, skips, abandoned domains, bad states.</summary>
    private static List<string> Problems(IReadOnlyList<DomainChecks> rows, DateTimeOffset until, int allowedExtra, int allowedMissed)
    {
        var problems = new List<string>();
        if (rows.Count != DomainCount)
            problems.Add($"{DomainCount - rows.Count} domains were never checked");
        foreach (var row in rows)
        {
            // ±1: a window's edges fall between checks (and a whole history includes the immediate first check).
            if (row.Checks > row.Slots + 1 + allowedExtra)
                problems.Add($"{row.Name}: {row.Checks} checks in {row.Slots} slots (duplicates)");
            if (row.Checks < row.Slots - 1 - allowedMissed)
                problems.Add($"{row.Name}: {row.Checks} checks in {row.Slots} slots (skipped)");
            if (row.LastCheckedAt < until - Interval * 2)
                problems.Add($"{row.Name}: last checked {row.LastCheckedAt:HH:mm:ss}, {until - row.LastCheckedAt} before the end (abandoned)");
            if (row.Status != "ok")
                problems.Add($"{row.Name}: status {row.Status}");
        }
        return problems;
    }

    private static double ChecksDone(string metrics) =>
        Regex.Matches(metrics, @"^monitor_checks_total\{[^}]*\} ([0-9.e+]+)", RegexOptions.Multiline).Sum(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
}
