using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MonitorService.Benchmarks.Infrastructure;
using MonitorService.Benchmarks.Scale;
using MonitorService.Storage;
using MonitorService.Storage.Entities;
using MonitorService.Testing;
using static MonitorService.Benchmarks.Infrastructure.ResultTable;

namespace MonitorService.Benchmarks.TlsRpt;

/// <summary>
/// Section 5: TLS-RPT reports parsed and stored per second through the HTTPS intake (the real serve, 8 senders at
/// once) and through <c>tlsrpt import</c> (a folder of .json.gz files, one CLI run, its start included), and the
/// memory one report of the largest size allowed (TlsRpt:MaxReportBytes, 20 MiB inflated) costs the serving process.
/// Reports are like the large senders' daily ones: one policy, three failure details, about 1.5 KiB of JSON.
/// </summary>
public sealed class TlsRptBenchmark(ResultTable table, BenchPostgres postgres)
{
    private const int Domains = 1000;
    private const int Reports = 2000;
    private const int Senders = 8;
    private const long MaxReportBytes = 20L * 1024 * 1024;

    public async Task RunAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync("tlsrpt_bench");
        await SeedDomainsAsync(connectionString);
        await using var env = await CheckEnvironment.StartAsync();
        var settings = MonitorNode.Settings(env);
        settings["ConnectionStrings:Monitor"] = connectionString;
        settings["Web:RateLimits:PerAddress"] = "1000000";
        settings["TlsRpt:RequestsPerAddress"] = "1000000";
        await using var serve = await ServeProcess.StartAsync(settings);

        using var client = new HttpClient { BaseAddress = serve.BaseAddress };
        var bodies = Enumerable.Range(0, Reports).Select(i => Gzip(Report("Bench HTTPS", $"https-{i}", i))).ToArray();
        var next = -1;
        var accepted = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Senders).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < Reports; i = Interlocked.Increment(ref next))
            {
                using var content = new ByteArrayContent(bodies[i]);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/tlsrpt+gzip");
                using var response = await client.PostAsync(new Uri("/tlsrpt", UriKind.Relative), content);
                if (response.StatusCode == HttpStatusCode.Accepted)
                    Interlocked.Increment(ref accepted);
            }
        }));
        var https = clock.Elapsed;
        table.Add("5 TLS-RPT", "HTTPS intake: reports parsed and stored per second", N(Reports / https.TotalSeconds, "0"), "",
            $"{Reports} gzip reports, {Senders} senders at once, {accepted} answered 202, {Domains} registered domains");

        var folder = Directory.CreateTempSubdirectory("monitor-bench-tlsrpt-").FullName;
        try
        {
            for (var i = 0; i < Reports; i++)
                await File.WriteAllBytesAsync(Path.Combine(folder, $"sender!r{i % Domains:D4}.example.test!{i}.json.gz"), Gzip(Report("Bench import", $"import-{i}", i)));
            clock.Restart();
            var output = await serve.CliAsync(["tlsrpt", "import", folder]);
            var import = clock.Elapsed;
            table.Add("5 TLS-RPT", "Import: reports parsed and stored per second", N(Reports / import.TotalSeconds, "0"), "",
                $"{Reports} .json.gz files in one run, CLI start included; {output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].Trim()}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        await MeasureLargestAsync(client);
    }

    /// <summary>One report of TlsRpt:MaxReportBytes inflated (its limit of 10,000 failure details, padded with whitespace), posted gzip-compressed.</summary>
    private async Task MeasureLargestAsync(HttpClient client)
    {
        var largest = Encoding.UTF8.GetBytes(LargestReport());
        var gzip = Gzip(largest);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        var before = process.WorkingSet64;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        HttpStatusCode status;
        long peak;
        var clock = Stopwatch.StartNew();
        using (var sampler = new PeakMemorySampler())
        {
            using var content = new ByteArrayContent(gzip);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/tlsrpt+gzip");
            using var response = await client.PostAsync(new Uri("/tlsrpt", UriKind.Relative), content);
            status = response.StatusCode;
            peak = sampler.Peak;
        }
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        table.Add("5 TLS-RPT", "Largest report allowed: peak working set growth / allocated", $"{Bytes(Math.Max(0, peak - before))} / {Bytes(allocated)}", "",
            $"{Bytes(largest.Length)} inflated ({Bytes(gzip.Length)} gzip), 10,000 failure details; answered {(int)status} in {N(clock.Elapsed.TotalSeconds, "0.0")} s; whole process (serve in it), working set before {Bytes(before)}");
    }

    private static string Report(string organization, string id, int i)
    {
        var domain = $"r{i % Domains:D4}.example.test";
        return $$"""
            {"organization-name":"{{organization}}","date-range":{"start-datetime":"2026-11-28T00:00:00Z","end-datetime":"2026-11-28T23:59:59Z"},
             "contact-info":"smtp-tls-reporting@sender.example","report-id":"{{id}}",
             "policies":[{"policy":{"policy-type":"sts","policy-string":["version: STSv1","mode: enforce","mx: mx1.{{domain}}","mx: mx2.{{domain}}","max_age: 604800"],"policy-domain":"{{domain}}","mx-host":["mx1.{{domain}}","mx2.{{domain}}"]},
               "summary":{"total-successful-session-count":{{1000 + i}},"total-failure-session-count":6},
               "failure-details":[
                 {"result-type":"certificate-expired","sending-mta-ip":"192.0.2.{{i % 250}}","receiving-mx-hostname":"mx1.{{domain}}","receiving-ip":"198.51.100.1","failed-session-count":3},
                 {"result-type":"starttls-not-supported","sending-mta-ip":"192.0.2.{{i % 250}}","receiving-mx-hostname":"mx2.{{domain}}","receiving-ip":"198.51.100.2","failed-session-count":2},
                 {"result-type":"validation-failure","sending-mta-ip":"192.0.2.{{i % 250}}","receiving-mx-hostname":"mx2.{{domain}}","receiving-ip":"198.51.100.2","failed-session-count":1,"failure-reason-code":"X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY"}]}]}
            """;
    }

    private static string LargestReport()
    {
        var policies = Enumerable.Range(0, 10).Select(p =>
        {
            var domain = $"r{p:D4}.example.test";
            var details = string.Join(',', Enumerable.Range(0, 1000).Select(i =>
                $$"""{"result-type":"certificate-host-mismatch","sending-mta-ip":"192.0.2.{{i % 250}}","receiving-mx-hostname":"mx{{i}}.{{domain}}","receiving-ip":"198.51.100.{{i % 250}}","failed-session-count":1,"additional-information":"https://sender.example/why/{{i}}"}"""));
            return $$"""{"policy":{"policy-type":"sts","policy-domain":"{{domain}}","mx-host":["*.{{domain}}"]},"summary":{"total-successful-session-count":5,"total-failure-session-count":1000},"failure-details":[{{details}}]}""";
        });
        var json = $$"""{"organization-name":"Bench largest","date-range":{"start-datetime":"2026-11-28T00:00:00Z","end-datetime":"2026-11-29T00:00:00Z"},"contact-info":"x@sender.example","report-id":"largest","policies":[{{string.Join(',', policies)}}]}""";
        return json + new string(' ', (int)MaxReportBytes - Encoding.UTF8.GetByteCount(json));
    }

    private static byte[] Gzip(string json) => Gzip(Encoding.UTF8.GetBytes(json));

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(data);
        return buffer.ToArray();
    }

    private static async Task SeedDomainsAsync(string connectionString)
    {
        await using var db = MonitorDb.Create(connectionString);
        var team = new Team { Id = Guid.NewGuid(), Name = "tlsrpt-bench", CreatedAt = DateTimeOffset.UtcNow };
        db.Teams.Add(team);
        for (var i = 0; i < Domains; i++)
        {
            // Disabled: nothing is scheduled, no check competes with the intake.
            db.Domains.Add(new MonitoredDomain
            {
                Id = Guid.NewGuid(), TeamId = team.Id, Name = $"r{i:D4}.example.test", IntervalSeconds = 3600, Enabled = false,
                CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
            });
        }
        await db.SaveChangesAsync();
    }
}
