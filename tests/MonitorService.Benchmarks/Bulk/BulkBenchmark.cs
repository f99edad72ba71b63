using MonitorService.Benchmarks.Infrastructure;
using MonitorService.Testing;
using static MonitorService.Benchmarks.Infrastructure.ResultTable;

namespace MonitorService.Benchmarks.Bulk;

/// <summary>
/// Section 5: a bulk check of a domain list at a fixed concurrency, side by side on the same loopback servers and
/// the same synthetic domains: the CLI's bulk path with and without the STARTTLS probes, the bare network work
/// with and without STARTTLS (the physical limit), and Node's mailauth MTA-STS check (policy + MX matching, no
/// STARTTLS). Every subject is warmed up once, then each round runs every subject once, in a rotating order, so
/// that load from other work on the machine falls on all of them alike; ratios are taken within a round.
/// </summary>
public sealed class BulkBenchmark(BenchOptions options, ResultTable table)
{
    private const string Section = "5 Bulk";
    private const string BareNoTls = "bare network work without STARTTLS";
    private const string BareTls = "bare network work with STARTTLS";
    private const string CliNoSmtp = "check --no-smtp";
    private const string CliProbes = "check (STARTTLS probes)";
    private const string Mailauth = "mailauth";

    public async Task RunAsync()
    {
        await using var env = await CheckEnvironment.StartAsync();
        var domains = env.PublishSyntheticDomains(options.BulkCheckDomains, certificatePerPolicyHost: true);
        var file = Path.Combine(Path.GetTempPath(), $"monitor-bulk-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(file, domains);
        try
        {
            await RunAsync(env, domains, file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private async Task RunAsync(CheckEnvironment env, IReadOnlyList<string> domains, string file)
    {
        var c = options.BulkConcurrency;
        var bare = new BareListRun(env, domains, c);
        var cli = new CliBulkRun(env, file, domains.Count, c);
        var (mailauth, skipped) = Selected("mailauth") ? await MailauthRunner.StartAsync(env, file, c) : (null, null);
        await using var _ = mailauth;
        var subjects = new List<(string Key, string Name, Func<Task<SubjectRun>> Run)>
        {
            ("bare", BareNoTls, () => bare.RunAsync(startTls: false)),
            ("no-smtp", CliNoSmtp, () => cli.RunAsync(probes: false)),
            ("mailauth", Mailauth, () => mailauth!.RunAsync(env)),
            ("bare-starttls", BareTls, () => bare.RunAsync(startTls: true)),
            ("probes", CliProbes, () => cli.RunAsync(probes: true)),
        };
        subjects.RemoveAll(s => !Selected(s.Key) || (s.Key == "mailauth" && mailauth is null));
        Console.Error.WriteLine($"bulk: {domains.Count} domains at concurrency {c}, {options.BulkRounds} rounds; {mailauth?.Version ?? skipped}");
        Console.Error.WriteLine($"bulk: {cli.CommandLine(probes: false)}");

        var loadBefore = LoadAverage();
        foreach (var (_, _, run) in subjects)
            await run(); // warm-up: JIT, Node's compiler, the servers' certificate caches
        var runs = subjects.ToDictionary(s => s.Name, _ => new List<SubjectRun>());
        for (var round = 0; round < options.BulkRounds; round++)
        {
            for (var k = 0; k < subjects.Count; k++)
            {
                var (_, name, run) = subjects[(round + k) % subjects.Count];
                var result = await run();
                runs[name].Add(result);
                Console.Error.WriteLine($"  round {round + 1}: {name}: {N(result.PerSecond)} domains/s, {result.Ok}/{result.Domains} ok");
            }
        }
        Report(domains.Count, c, runs, mailauth?.Version, skipped);
        table.Add(Section, "machine: cores, load average (1 min) before / after the section", $"{Environment.ProcessorCount}, {loadBefore} / {LoadAverage()}", "",
            "other work slows the subjects unequally (Node competes for the CPU with one thread, .NET with many): on a loaded machine the CPU time rows compare better");
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    /// <summary>Whether <c>--bulk-subjects</c> (default: all) names the subject; fewer subjects are for profiling one.</summary>
    private bool Selected(string key) => options.BulkSubjects is null || options.BulkSubjects.Contains(key);

    private void Report(int domains, int c, Dictionary<string, List<SubjectRun>> runs, string? mailauthVersion, string? skipped)
    {
        var rows = new RepeatedRows();
        void Rate(string name, string label, string target = "")
        {
            if (!runs.TryGetValue(name, out var list))
                return;
            foreach (var run in list)
                rows.Add($"{label}, domains/s", [run.PerSecond], "0.#", "", target, Health(list));
        }
        void Ratio(string over, string under, string label, string target, string notes = "")
        {
            if (!runs.ContainsKey(over) || !runs.ContainsKey(under))
                return;
            foreach (var (a, b) in runs[over].Zip(runs[under]))
                rows.Add(label, [a.PerSecond / b.PerSecond], "0.00", "", target, notes);
        }

        Rate(BareNoTls, $"{domains} domains, c={c}: {BareNoTls}");
        Rate(CliNoSmtp, $"{domains} domains, c={c}: {CliNoSmtp}", "≥ mailauth");
        Rate(Mailauth, $"{domains} domains, c={c}: {mailauthVersion} (policy + MX matching)");
        Ratio(CliNoSmtp, Mailauth, $"{CliNoSmtp} / mailauth", "≥ 1.00");
        Ratio(Mailauth, BareNoTls, $"mailauth / {BareNoTls}", "", "issue 15: about 0.9 on the reference servers");
        Ratio(CliNoSmtp, BareNoTls, $"{CliNoSmtp} / {BareNoTls}", "");
        Rate(BareTls, $"{domains} domains, c={c}: {BareTls}");
        Rate(CliProbes, $"{domains} domains, c={c}: {CliProbes}", "≥ 0.8 × bare");
        Ratio(CliProbes, BareTls, $"{CliProbes} / {BareTls}", "≥ 0.80", "default probe limit: 4 per MX address");
        foreach (var (name, list) in runs)
        {
            foreach (var run in list)
                rows.Add($"{name}: CPU time per domain", [run.CpuMsPerDomain], "0.00", "ms", "",
                    name == Mailauth ? "Node's process + this one's (the loopback servers)" : "this process: subject + loopback servers");
            if (name == Mailauth)
            {
                foreach (var run in list)
                    rows.Add($"{name}: of which Node's own", [run.ChildCpu.TotalMilliseconds / run.Domains], "0.00", "ms", "", "process.cpuUsage() around each pass");
            }
        }
        rows.WriteTo(table, Section);

        foreach (var (name, list) in runs)
            table.Add(Section, $"{name}: DNS questions / policy requests / SMTP sessions per domain", list[^1].Work.PerDomain(domains), "",
                "from the loopback servers' logs, last round");
        if (skipped is not null)
            table.Add(Section, "mailauth", "skipped", "", skipped);
    }

    /// <summary>"all ok", or how many passes had domains that did not come out healthy, with the first reason.</summary>
    private static string Health(List<SubjectRun> list)
    {
        var bad = list.Where(r => r.Ok < r.Domains).ToList();
        return bad.Count == 0 ? $"all {list[0].Domains} domains healthy in every pass"
            : $"{bad.Count} of {list.Count} passes had domains not healthy ({bad.Sum(r => r.Domains - r.Ok)} in all), first: {bad[0].FirstProblem}";
    }
}
