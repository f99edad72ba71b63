using System.Diagnostics;
using MonitorService.Benchmarks;
using MonitorService.Benchmarks.Bulk;
using MonitorService.Benchmarks.Engine;
using MonitorService.Benchmarks.Infrastructure;

if (args.Contains("--help"))
{
    Console.WriteLine(BenchOptions.Usage);
    return 0;
}
var options = BenchOptions.Parse(args);
var table = new ResultTable();
var total = Stopwatch.StartNew();
Console.Error.WriteLine($"MonitorService benchmarks: {Environment.ProcessorCount} cores, server GC {System.Runtime.GCSettings.IsServerGC}, sections {string.Join(',', options.Sections)}");

if (options.Sections.Contains("engine"))
    await new EngineBenchmark(options, table).RunAsync();
if (options.Sections.Contains("flood"))
    await new FloodBenchmark(table).RunAsync();
if (options.Sections.Overlaps(["storage", "scheduler", "dashboard", "senders", "tlsrpt"]))
    await ScaleBenchmarks.RunAsync(options, table);
if (options.Sections.Contains("bulk"))
    await new BulkBenchmark(options, table).RunAsync();

var markdown = table.ToMarkdown();
Console.WriteLine(markdown);
Console.WriteLine($"Total time {total.Elapsed.TotalMinutes:0.0} min; args: {string.Join(' ', args)}");
if (options.Output is { } file)
    await File.WriteAllTextAsync(file, markdown);
return 0;
