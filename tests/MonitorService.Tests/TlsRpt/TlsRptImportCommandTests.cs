using System.Text;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using MonitorService.Cli;
using MonitorService.Tests.Infrastructure;
using static MonitorService.Tests.TlsRpt.TlsRptFixtures;

namespace MonitorService.Tests.TlsRpt;

/// <summary><c>MonitorService tlsrpt import</c> on a folder of reports and messages, against a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TlsRptImportCommandTests(PostgresFixture postgres) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("tlsrpt-import-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_folder_of_reports_and_messages_is_imported_with_a_line_per_file_a_summary_and_exit_1_for_an_invalid_one()
    {
        await using var kit = await TlsRptIntakeKit.StartAsync(postgres, "tlsrpt_import", null, "example.test");
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Monitor"] = kit.ConnectionString };
        await File.WriteAllTextAsync(Path.Combine(_folder, "a.json"), Report("Import Sender", "i-1", "example.test"));
        await File.WriteAllBytesAsync(Path.Combine(_folder, "b.json.gz"), Gzip(Report("Import Sender", "i-2", "example.test")));
        await File.WriteAllTextAsync(Path.Combine(_folder, "c.json"), Report("Import Sender", "i-3", "other.test"));
        Directory.CreateDirectory(Path.Combine(_folder, "mail"));
        // A 10 MB report as a base64 attachment (about 13.5 MB of message).
        var large = LargeReport("i-4", 10 * 1000 * 1000);
        await TlsRptIntakeTests.ReportMessage(Encoding.UTF8.GetBytes(large), "application", "tlsrpt+json", "mail.example!example.test!1764288000!1764374399!i-4.json")
            .WriteToAsync(Path.Combine(_folder, "mail", "d.eml"));
        var plain = new MimeMessage { Subject = "hello", Body = new TextPart("plain") { Text = "no report" } };
        plain.From.Add(new MailboxAddress("", "a@mail.example"));
        await plain.WriteToAsync(Path.Combine(_folder, "mail", "e.eml"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "f.json"), "{\"organization-name\":");
        await File.WriteAllTextAsync(Path.Combine(_folder, "notes.txt"), "not looked at");

        var (exit, stdout, stderr) = await RunAsync(settings, "tlsrpt", "import", _folder);
        Assert.True(exit == ExitCodes.SomeInputInvalid, $"exit {exit}: {stdout} {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(7, lines.Length);
        Assert.Contains(lines, l => l.Contains("a.json: stored (report ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("b.json.gz: stored", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("c.json: not stored", StringComparison.Ordinal) && l.Contains("other.test", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("d.eml: stored", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("e.eml: no report", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("f.json: invalid: Not JSON", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("notes.txt", StringComparison.Ordinal));
        Assert.Equal("6 files: 3 stored, 0 duplicates, 1 not about a registered domain, 1 without a report, 1 invalid.", lines[^1]);

        // Again, one file: a duplicate now, exit 0.
        (exit, stdout, _) = await RunAsync(settings, "tlsrpt", "import", Path.Combine(_folder, "a.json"));
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("duplicate", stdout, StringComparison.Ordinal);

        await using var db = kit.Db();
        Assert.Equal(["i-1", "i-2", "i-4"], await db.TlsRptReports.OrderBy(r => r.ReportId).Select(r => r.ReportId).ToListAsync());
        var policy = await db.TlsRptPolicies.Include(p => p.Failures).SingleAsync(p => p.OrganizationName == "Import Sender" && p.Failures.Count > 1);
        Assert.Equal(TlsRptLimitsFor10Mb, policy.Failures.Count);
        Assert.Equal(1, await db.TlsRptRejected.CountAsync());

        Assert.Equal(ExitCodes.Usage, (await RunAsync(settings, "tlsrpt", "import", Path.Combine(_folder, "missing.json"))).Exit);
    }

    [Fact]
    public async Task Import_with_a_team_is_as_if_sent_to_that_team_s_own_address()
    {
        await using var kit = await TlsRptIntakeKit.StartAsync(postgres, "tlsrpt_import_team", null, "example.test");
        await TlsRptIntakeKit.RegisterAsync(kit.ConnectionString, "rival", "rival.test");
        var settings = new Dictionary<string, string?> { ["ConnectionStrings:Monitor"] = kit.ConnectionString };
        var file = Path.Combine(_folder, "r.json");
        await File.WriteAllTextAsync(file, Report("Import Sender", "t-1", "example.test"));

        // Not the rival's domain: its address takes none of it.
        var (exit, stdout, _) = await RunAsync(settings, "tlsrpt", "import", "--team", "rival", file);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("r.json: not stored", stdout, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, (await RunAsync(settings, "tlsrpt", "import", "--team", "nobody", file)).Exit);

        (exit, stdout, _) = await RunAsync(settings, "tlsrpt", "import", "--team=ops", file);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.Contains("r.json: stored", stdout, StringComparison.Ordinal);
        await using var db = kit.Db();
        var ops = await db.Teams.SingleAsync(t => t.Name == "ops");
        var policy = await db.TlsRptPolicies.SingleAsync();
        Assert.Equal([ops.Id], policy.DeliveredToTeams);
        Assert.False(policy.ViaSharedAddress);
    }

    /// <summary>The large report holds this many failure details (the per-policy cap), padded to its size with whitespace.</summary>
    private const int TlsRptLimitsFor10Mb = MonitorService.TlsRpt.Parsing.TlsRptLimits.MaxFailureDetailsPerPolicy;

    private static string LargeReport(string reportId, int size)
    {
        var details = string.Join(',', Enumerable.Range(0, TlsRptLimitsFor10Mb).Select(i =>
            $$"""{"result-type":"certificate-expired","sending-mta-ip":"192.0.2.{{i % 250}}","receiving-mx-hostname":"mx{{i}}.example.test","failed-session-count":1}"""));
        var json = $$"""{"organization-name":"Import Sender","date-range":{"start-datetime":"2026-11-28T00:00:00Z","end-datetime":"2026-11-29T00:00:00Z"},"report-id":"{{reportId}}","policies":[{"policy":{"policy-type":"sts","policy-domain":"example.test"},"summary":{"total-successful-session-count":5,"total-failure-session-count":{{TlsRptLimitsFor10Mb}}},"failure-details":[{{details}}]}]}""";
        return json + new string(' ', size - json.Length);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(Dictionary<string, string?> settings, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await CommandLineApp.RunAsync(args, TextReader.Null, stdout, stderr, settings, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
