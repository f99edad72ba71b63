using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using MonitorService.Cli;
using MonitorService.Testing;

namespace MonitorService.Benchmarks.Bulk;

/// <summary>
/// The real bulk path: <c>MonitorService check --input FILE --concurrency N --format jsonl</c> through
/// <see cref="CommandLineApp"/> in this process, timed from the call to its return (reading the list, building the
/// engine, every check, every JSON line). The output goes to memory and is read only after the clock stops.
/// </summary>
public sealed class CliBulkRun(CheckEnvironment env, string domainFile, int domains, int concurrency)
{
    public string CommandLine(bool probes) => "MonitorService " + string.Join(' ', Arguments(probes));

    public async Task<SubjectRun> RunAsync(bool probes)
    {
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        NetworkWork.Reset(env);
        var cpu = SubjectRun.ProcessCpuNow;
        var stopwatch = Stopwatch.StartNew();
        var exit = await CommandLineApp.RunAsync(Arguments(probes), TextReader.Null, stdout, stderr, settings: null, CancellationToken.None);
        var elapsed = stopwatch.Elapsed;
        cpu = SubjectRun.ProcessCpuNow - cpu;
        var work = NetworkWork.Read(env);

        var reports = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (reports.Length != domains)
            throw new InvalidOperationException($"check exited {exit} with {reports.Length} reports for {domains} domains: {stderr}");
        var problems = reports.Select(Problem).Where(p => p is not null).ToList();
        return new SubjectRun(domains, domains - problems.Count, elapsed, cpu, TimeSpan.Zero, work, problems.FirstOrDefault());
    }

    private string[] Arguments(bool probes)
    {
        var options = env.Options();
        string[] args =
        [
            "check", "--input", domainFile, "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture), "--format", "jsonl",
            "--resolver", env.Dns.EndPoint.ToString(), "--ca-file", options.CaFile!,
            "--policy-port", env.Https.Port.ToString(CultureInfo.InvariantCulture), "--smtp-port", env.Smtp.Port.ToString(CultureInfo.InvariantCulture),
            "--allow-private-addresses", "--timeout", "10",
        ];
        return probes ? args : [.. args, "--no-smtp"];
    }

    /// <summary>Null for a healthy report; otherwise the domain and its first finding.</summary>
    private static string? Problem(string line)
    {
        using var report = JsonDocument.Parse(line);
        var root = report.RootElement;
        if (root.GetProperty("status").GetString() == "ok")
            return null;
        var finding = root.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString()).FirstOrDefault();
        return $"{root.GetProperty("domain").GetString()}: {root.GetProperty("status").GetString()} ({finding})";
    }
}
