using System.IO.Compression;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MonitorService.Storage.Entities;
using MonitorService.TlsRpt;
using MonitorService.TlsRpt.Intake;
using MonitorService.Tests.Infrastructure;
using static MonitorService.Tests.TlsRpt.TlsRptFixtures;

namespace MonitorService.Tests.TlsRpt;

/// <summary>The ingestion service behind every intake, on a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public class TlsRptIntakeTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_report_sent_twice_is_stored_once_also_gzip_after_json_and_eight_at_once()
    {
        await using var kit = await TlsRptIntakeKit.StartAsync(postgres, "tlsrpt_dup", null, "example.test");
        var json = Report("Sender A", "r-1", "example.test", successful: 90, failed: 10);

        var first = await kit.Intake.AcceptReportAsync(Utf8(json), TlsRptIntakeKit.Https, default);
        Assert.Equal(TlsRptIntakeOutcome.Stored, first.Outcome);
        Assert.NotNull(first.StoredReportId);
        var again = await kit.Intake.AcceptReportAsync(Gzip(json), new TlsRptOrigin(TlsRptSources.Mailbox, "<m1@sender.example>"), default);
        Assert.Equal(TlsRptIntakeOutcome.Duplicate, again.Outcome);

        var concurrent = Report("Sender A", "r-2", "example.test");
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => kit.Intake.AcceptReportAsync(Utf8(concurrent), TlsRptIntakeKit.Https, default))));
        Assert.Equal(1, results.Count(r => r.Outcome == TlsRptIntakeOutcome.Stored));
        Assert.Equal(7, results.Count(r => r.Outcome == TlsRptIntakeOutcome.Duplicate));

        await using var db = kit.Db();
        var reports = await db.TlsRptReports.Include(r => r.Policies).ThenInclude(p => p.Failures).OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(["r-1", "r-2"], reports.Select(r => r.ReportId));
        var policy = Assert.Single(reports[0].Policies);
        Assert.Equal(("example.test", new DateOnly(2026, 11, 28), "Sender A", 90L, 10L, 10L),
            (policy.PolicyDomain, policy.ReportDay, policy.OrganizationName, policy.SuccessfulSessions, policy.FailedSessions, policy.FailureDetailSessions));
        Assert.Equal("certificate-expired", Assert.Single(policy.Failures).ResultType);
        Assert.Equal(TlsRptSources.Https, reports[0].Source);
        Assert.Equal(json, System.Text.Encoding.UTF8.GetString(Inflate(reports[0].RawGzip)));
        Assert.Equal(1, await db.TlsRptPolicies.CountAsync(p => p.ReportId == reports[1].Id));
    }

    [Fact]
    public async Task Only_reports_about_registered_domains_or_below_them_are_stored_and_only_their_own_policies_shown_under_the_nearest_registered_name()
    {
        await using var kit = await TlsRptIntakeKit.StartAsync(postgres, "tlsrpt_ours", null, "example.test");
        var foreign = await kit.Intake.AcceptReportAsync(Utf8(Report("Sender A", "f-1", "other.test")), TlsRptIntakeKit.Https, default);
        Assert.Equal(TlsRptIntakeOutcome.NotOurs, foreign.Outcome);
        Assert.Contains("other.test", foreign.Reason, StringComparison.Ordinal);
        // A name that merely ends like ours is not below it.
        Assert.Equal(TlsRptIntakeOutcome.NotOurs, (await kit.Intake.AcceptReportAsync(Utf8(Report("Sender A", "f-2", "badexample.test")), TlsRptIntakeKit.Https, default)).Outcome);

        var below = await kit.Intake.AcceptReportAsync(Utf8(Report("Sender A", "b-1", "mail.example.test")), TlsRptIntakeKit.Https, default);
        Assert.Equal(TlsRptIntakeOutcome.Stored, below.Outcome);

        // Two policies, one about another domain: the report is stored with our policy only, at its place in the report.
        var mixed = Report("Sender B", "m-1", "other.test").Replace("\"policies\":[", "\"policies\":[" + PolicyOf(Report("x", "x", "example.test")) + ",", StringComparison.Ordinal);
        var stored = await kit.Intake.AcceptReportAsync(Utf8(mixed), TlsRptIntakeKit.Https, default);
        Assert.Equal(TlsRptIntakeOutcome.Stored, stored.Outcome);
        Assert.Contains("left out", stored.Reason, StringComparison.Ordinal);

        await using var db = kit.Db();
        Assert.Equal(["b-1", "m-1"], await db.TlsRptReports.OrderBy(r => r.ReportId).Select(r => r.ReportId).ToListAsync());
        var policies = await db.TlsRptPolicies.Where(p => p.ReportId == stored.StoredReportId).ToListAsync();
        Assert.Equal(("example.test", 0), (Assert.Single(policies).PolicyDomain, policies[0].N));
        var mail = await db.TlsRptPolicies.SingleAsync(p => p.PolicyDomain == "mail.example.test");
        Assert.Equal("example.test", mail.DomainName);
        Assert.Equal(0, await db.TlsRptRejected.CountAsync());
    }

    [Fact]
    public async Task A_DANE_report_is_ours_through_its_receiving_MX()
    {
        await using var kit = await TlsRptIntakeKit.StartAsync(postgres, "tlsrpt_dane", null, "example.test");
        var result = await kit.Intake.AcceptReportAsync(Utf8(TlsaArrayInString), TlsRptIntakeKit.Https, default);
        Assert.Equal(TlsRptIntakeOutcome.Stored, result.Outcome);
        await using var db = kit.Db();
        var policy = await db.TlsRptPolicies.SingleAsync();
        Assert.Equal(2, policy.PolicyStrings.Count);
        Assert.Equal("_25._tcp.mx.hosting.example", policy.PolicyDomain);
        // Shown on the page of the domain whose MX it is about: stored for it, so it must be visible there.
        Assert.Equal("example.test", policy.DomainName);
        var registration = await db.Domains.AsNoTracking().SingleAsync(d => d.Name == "example.test");
        var day = new MonitorService.TlsRpt.Views.TlsRptRange(new DateOnly(2026, 11, 28), new DateOnly(2026, 11, 28));
        var summary = await new MonitorService.TlsRpt.Views.TlsRptQueries(kit.Services.GetRequiredService<IDbContextFactory<MonitorService.Storage.MonitorDbContext>>())
            .SummaryAsync(registration, day, default);
        Assert.Equal((1, 7L, 1L), (summary.Reports, summary.Days.Single().Successful, summary.Days.Single().Failed));
        Assert.Equal("tlsa-invalid", Assert.Single(summary.Failures).ResultType);
    }

    [Fact]
    public async Task Every_quirk_fixture_about_a_registered_domain_is_stored()
    {
        await using var kit = await TlsRptIntakeKit.StartAsync(postgres, "tlsrpt_quirks", null, "example.test");
        foreach (var fixture in new[] { NoTimeZone, PolicyFetchError, TlsaArrayInString, NoPolicyFoundOnlySuccess, TotalsDisagree, OddReportId })
            Assert.Equal(TlsRptIntakeOutcome.Stored, (await kit.Intake.AcceptReportAsync(Utf8(fixture), TlsRptIntakeKit.Https, default)).Outcome);
        await using var db = kit.Db();
        Assert.Contains("<2026.11.28 \"T\" ü/../;DROP@odd.example>", await db.TlsRptReports.Select(r => r.ReportId).ToListAsync());
        // The no-policy-found entry without a policy-domain is not about us and is not stored.
        Assert.Equal(1, await db.TlsRptPolicies.CountAsync(p => p.OrganizationName == "Quiet Sender"));
    }

    [Fact]
    public async Task An_unparseable_report_is_kept_once_with_its_reason()
    {
        await using var kit = await TlsRptIntakeKit.StartAsync(postgres, "tlsrpt_invalid", null, "example.test");
        var garbage = Utf8("{\"organization-name\": \"Broken\", \"report-id\": 1}");
        var result = await kit.Intake.AcceptReportAsync(garbage, TlsRptIntakeKit.Https, default);
        Assert.Equal(TlsRptIntakeOutcome.Invalid, result.Outcome);
        Assert.Contains("report-id", result.Reason, StringComparison.Ordinal);
        Assert.Equal(TlsRptIntakeOutcome.Invalid, (await kit.Intake.AcceptReportAsync(garbage, TlsRptIntakeKit.Https, default)).Outcome);
        var cutGzip = Gzip(TlsRptFixtures.Rfc)[..40];
        Assert.Contains("gzip", (await kit.Intake.AcceptReportAsync(cutGzip, TlsRptIntakeKit.Https, default)).Reason, StringComparison.Ordinal);
        var badGzip = Gzip(TlsRptFixtures.Rfc);
        badGzip[2] = 7; // not deflate
        Assert.Contains("Not valid gzip", (await kit.Intake.AcceptReportAsync(badGzip, TlsRptIntakeKit.Https, default)).Reason, StringComparison.Ordinal);

        await using var db = kit.Db();
        var rejected = await db.TlsRptRejected.OrderBy(r => r.Id).ToListAsync();
        Assert.Equal(3, rejected.Count);
        Assert.Equal(result.Reason, rejected[0].Reason);
        Assert.Equal(garbage, Inflate(rejected[0].RawGzip));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(garbage)), rejected[0].Sha256);
        Assert.False(rejected[0].Truncated);
        Assert.Equal(0, await db.TlsRptReports.CountAsync());
    }

    [Fact]
    public async Task A_gzip_bomb_is_refused_without_being_inflated()
    {
        const long cap = 1024 * 1024;
        await using var kit = await TlsRptIntakeKit.StartAsync(postgres, "tlsrpt_bomb", new Dictionary<string, string?> { ["TlsRpt:MaxReportBytes"] = cap.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "example.test");
        var bomb = Bomb(256L * 1024 * 1024); // 256 MiB of zeros, about 250 KiB compressed

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var inflated = BoundedGzip.Inflate(bomb, cap, out var inflatedBytes, out var error);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        Assert.Null(inflated);
        Assert.Contains("TlsRpt:MaxReportBytes", error, StringComparison.Ordinal);
        Assert.InRange(inflatedBytes, cap + 1, cap + 64 * 1024);
        Assert.True(allocated < 4 * cap, $"inflating allocated {allocated} bytes");

        var result = await kit.Intake.AcceptReportAsync(bomb, TlsRptIntakeKit.Https, default);
        Assert.Equal(TlsRptIntakeOutcome.Invalid, result.Outcome);
        await using var db = kit.Db();
        var rejected = await db.TlsRptRejected.SingleAsync();
        Assert.Contains("inflates to more than", rejected.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_a_multipart_report_a_whole_message_report_an_attachment_and_a_message_without_a_report()
    {
        await using var kit = await TlsRptIntakeKit.StartAsync(postgres, "tlsrpt_mail", null, "example.test");
        var origin = new TlsRptOrigin(TlsRptSources.Mailbox, "<1@sender.example>");

        var multipart = await kit.Intake.AcceptMessageAsync(ReportMessage(Gzip(Report("Mail Sender", "mail-1", "example.test")), "application", "tlsrpt+gzip",
            "mail.example!example.test!1764288000!1764374399!mail-1.json.gz"), origin, default);
        Assert.Equal(TlsRptIntakeOutcome.Stored, multipart.Outcome);

        var whole = new MimeMessage { Subject = "Report Domain: example.test" };
        whole.Body = new MimePart("application", "tlsrpt+json") { Content = new MimeContent(new MemoryStream(Utf8(Report("Mail Sender", "mail-2", "example.test")))), ContentTransferEncoding = ContentEncoding.Base64 };
        Assert.Equal(TlsRptIntakeOutcome.Stored, (await kit.Intake.AcceptMessageAsync(whole, origin, default)).Outcome);

        // gzip labelled application/octet-stream, known by its file name and its magic bytes.
        var attachment = ReportMessage(Gzip(Report("Mail Sender", "mail-3", "example.test")), "application", "octet-stream", "report.json.gz");
        Assert.Equal(TlsRptIntakeOutcome.Stored, (await kit.Intake.AcceptMessageAsync(attachment, origin, default)).Outcome);

        var plain = new MimeMessage { Subject = "hello", Body = new TextPart("plain") { Text = "Not a report." } };
        Assert.Equal(TlsRptIntakeOutcome.NoReport, (await kit.Intake.AcceptMessageAsync(plain, origin, default)).Outcome);

        var broken = ReportMessage(Utf8("{not json"), "application", "tlsrpt+json", "broken.json");
        var invalid = await kit.Intake.AcceptMessageAsync(broken, origin, default);
        Assert.Equal(TlsRptIntakeOutcome.Invalid, invalid.Outcome);

        await using var db = kit.Db();
        Assert.Equal(["mail-1", "mail-2", "mail-3"], await db.TlsRptReports.OrderBy(r => r.ReportId).Select(r => r.ReportId).ToListAsync());
        Assert.All(await db.TlsRptReports.ToListAsync(), r => Assert.Equal(TlsRptSources.Mailbox, r.Source));
        Assert.Contains("broken.json", (await db.TlsRptRejected.SingleAsync()).SourceDetail, StringComparison.Ordinal);
    }

    /// <summary>A <c>multipart/report; report-type=tlsrpt</c> message as RFC 8460 §5.3 has senders send it.</summary>
    public static MimeMessage ReportMessage(byte[] content, string mediaType, string subtype, string fileName)
    {
        var report = new MultipartReport("tlsrpt")
        {
            new TextPart("plain") { Text = "This is an aggregate TLS report from mail.example." },
            new MimePart(mediaType, subtype) { Content = new MimeContent(new MemoryStream(content)), ContentTransferEncoding = ContentEncoding.Base64, FileName = fileName },
        };
        var message = new MimeMessage { Subject = "Report Domain: example.test Submitter: mail.example Report-ID: <x@mail.example>", Body = report };
        message.From.Add(new MailboxAddress("", "tlsrpt@mail.example"));
        message.To.Add(new MailboxAddress("", "tlsrpt@monitor.example"));
        return message;
    }

    /// <summary>The policy object of a one-policy report (the text between "policies":[ and the closing ]}).</summary>
    private static string PolicyOf(string report)
    {
        var start = report.IndexOf("\"policies\":[", StringComparison.Ordinal) + "\"policies\":[".Length;
        return report[start..report.LastIndexOf("]}", StringComparison.Ordinal)];
    }

    public static byte[] Bomb(long zeros)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            var chunk = new byte[1024 * 1024];
            for (long written = 0; written < zeros; written += chunk.Length)
                gzip.Write(chunk);
        }
        return buffer.ToArray();
    }

    public static byte[] Inflate(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
