using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using MonitorService.Checks.Model;
using MonitorService.Storage;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Web;
using static MonitorService.Tests.TlsRpt.TlsRptSeed;

namespace MonitorService.Tests.TlsRpt;

/// <summary>
/// "What senders saw" against the real service and PostgreSQL, with reports seeded in the intake's tables: the API's
/// JSON (shape, zero days, correlation, team isolation), the CLI printing the same JSON, and the domain page (chart,
/// escaping of a hostile organisation name, the sender-policy verdict, disagreeing totals, setup help).
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public class TlsRptViewTests(PostgresFixture postgres)
{
    public const string Hostile = "<script>alert(1)</script> Evil & \"Co\"";

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} instead of {(int)expected}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A started service with example.test of team ops checked once, reports of the last days seeded, and an open certificate finding on mx1.</summary>
    internal static async Task<(ServiceUnderTest Service, Guid Id, DateOnly Today)> StartSeededAsync(PostgresFixture postgres, string hint)
    {
        var service = await ServiceUnderTest.StartAsync(postgres, hint, new Dictionary<string, string?> { ["TlsRpt:MailboxAddress"] = "reports@monitor.example" });
        await service.AddUserAsync("ops@example.test", "ops");
        using var ops = service.Client(await service.CreateTokenAsync("ops"));
        var id = (await JsonAsync(await ops.PostAsync(new Uri("/api/v1/domains", UriKind.Relative), JsonContent("""{"name":"example.test"}""")), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        for (var i = 0; i < 150 && (await ops.GetAsync(new Uri($"/api/v1/domains/{id}/report", UriKind.Relative))).StatusCode != HttpStatusCode.OK; i++)
            await Task.Delay(200);
        var report = await JsonAsync(await ops.GetAsync(new Uri($"/api/v1/domains/{id}/report", UriKind.Relative)), HttpStatusCode.OK);
        var ourPolicy = report.GetProperty("policy").GetProperty("raw").GetString()!.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var current = Policy("Google Inc.", today.AddDays(-2), "example.test", 100, 5, Failure("certificate-expired", "mx1.example.test", 5, "cert expired"));
        current.PolicyStrings = [.. ourPolicy];
        await ReportAsync(service.ConnectionString, "Google Inc.", today.AddDays(-2), current);
        var other = Policy(Hostile, today.AddDays(-1), "example.test", 50, 7, Failure("starttls-not-supported", "mx2.example.test", 3, "<b>no starttls</b>"));
        other.PolicyStrings = ["version: STSv1", "mode: enforce", "mx: <img src=x onerror=alert(2)>.example.test", "max_age: 86400"];
        await ReportAsync(service.ConnectionString, Hostile, today.AddDays(-1), other);
        // Another domain's report and an old one: neither may show up.
        await ReportAsync(service.ConnectionString, "Google Inc.", today.AddDays(-1), Policy("Google Inc.", today.AddDays(-1), "other.test", 1000, 1000, Failure("certificate-expired", "mx1.other.test", 1000)));
        await ReportAsync(service.ConnectionString, "Google Inc.", today.AddDays(-200), Policy("Google Inc.", today.AddDays(-200), "example.test", 1000, 1000, Failure("certificate-expired", "mx1.example.test", 1000)));
        await using (var db = MonitorDb.Create(service.ConnectionString))
        {
            var opened = DateTimeOffset.UtcNow.AddDays(-5);
            db.Incidents.Add(new Incident
            {
                DomainId = id, Code = FindingCodes.SmtpCertExpired, Subject = "mx1.example.test", Severity = "error", Message = "expired",
                FirstSeenAt = opened, LastSeenAt = opened, SeenCount = 2, OpenedAt = opened,
            });
            await db.SaveChangesAsync();
            // As if we had watched the domain for ten days: the sender policies of the seeded days are comparable with ours.
            await db.Observations.Where(o => o.DomainId == id).ExecuteUpdateAsync(o => o.SetProperty(x => x.FirstSeenAt, x => x.FirstSeenAt.AddDays(-10)));
        }
        return (service, id, today);
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task Api_and_cli_print_the_same_summary_within_the_team()
    {
        var (started, id, today) = await StartSeededAsync(postgres, "tlsrpt_api");
        await using var service = started;
        await service.AddUserAsync("other@example.test", "other");
        using var ops = service.Client(await service.CreateTokenAsync("ops"));
        using var other = service.Client(await service.CreateTokenAsync("other"));
        var from = today.AddDays(-3).ToString("yyyy-MM-dd");
        var to = today.ToString("yyyy-MM-dd");
        var path = $"/api/v1/domains/{id}/tlsrpt?from={from}&to={to}";

        var json = await JsonAsync(await ops.GetAsync(new Uri(path, UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal(["domain", "from", "to", "reports", "days", "organizations", "failures"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("example.test", from, to, 2), (json.GetProperty("domain").GetString(), json.GetProperty("from").GetString(), json.GetProperty("to").GetString(), json.GetProperty("reports").GetInt32()));
        // Every day of the range, zeros where nobody reported.
        Assert.Equal([(from, 0L, 0L), (today.AddDays(-2).ToString("yyyy-MM-dd"), 100L, 5L), (today.AddDays(-1).ToString("yyyy-MM-dd"), 50L, 7L), (to, 0L, 0L)],
            json.GetProperty("days").EnumerateArray().Select(d => (d.GetProperty("date").GetString(), d.GetProperty("successful").GetInt64(), d.GetProperty("failed").GetInt64())));
        Assert.Equal(["date", "successful", "failed"], json.GetProperty("days")[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal([(Hostile, 50L, 7L), ("Google Inc.", 100L, 5L)],
            json.GetProperty("organizations").EnumerateArray().Select(o => (o.GetProperty("name").GetString(), o.GetProperty("successful").GetInt64(), o.GetProperty("failed").GetInt64())));
        var failures = json.GetProperty("failures").EnumerateArray().ToList();
        Assert.Equal(["resultType", "organization", "receivingMx", "receivingIp", "sendingMtaIp", "failureReasonCode", "sessions", "explainedBy"], failures[0].EnumerateObject().Select(p => p.Name));
        var expired = failures.Single(f => f.GetProperty("resultType").GetString() == "certificate-expired");
        Assert.Equal(("Google Inc.", "mx1.example.test", "192.0.2.25", "198.51.100.7", "cert expired", 5L, FindingCodes.SmtpCertExpired),
            (expired.GetProperty("organization").GetString(), expired.GetProperty("receivingMx").GetString(), expired.GetProperty("receivingIp").GetString(),
             expired.GetProperty("sendingMtaIp").GetString(), expired.GetProperty("failureReasonCode").GetString(), expired.GetProperty("sessions").GetInt64(), expired.GetProperty("explainedBy").GetString()));
        var starttls = failures.Single(f => f.GetProperty("resultType").GetString() == "starttls-not-supported");
        Assert.Equal(JsonValueKind.Null, starttls.GetProperty("explainedBy").ValueKind);
        Assert.Equal(2, failures.Count);

        // Another team: 404 as for any domain not its own; a bad range: 400 naming the field.
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);
        var bad = await JsonAsync(await ops.GetAsync(new Uri($"/api/v1/domains/{id}/tlsrpt?from=2026-13-01", UriKind.Relative)), HttpStatusCode.BadRequest);
        Assert.True(bad.GetProperty("errors").TryGetProperty("from", out _));
        await JsonAsync(await ops.GetAsync(new Uri($"/api/v1/domains/{id}/tlsrpt?from=2020-01-01&to=2026-01-01", UriKind.Relative)), HttpStatusCode.BadRequest);
        using (var anonymous = service.Client())
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri(path, UriKind.Relative))).StatusCode);

        // The CLI: the same builder, the same JSON, for the last 4 days.
        var cli = JsonNode.Parse(await service.CliAsync("domains", "tlsrpt", "example.test", "--team", "ops", "--days", "4", "--format", "json"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json.GetRawText()), cli), $"CLI: {cli}\nAPI: {json}");
        var (exit, _, stderr) = await service.RunCliAsync(["domains", "tlsrpt", "example.test", "--team", "other"]);
        Assert.NotEqual(0, exit);
        Assert.Contains("example.test", stderr, StringComparison.Ordinal);
        var alone = await service.CliAsync("domains", "tlsrpt", "example.test", "--team", "ops");
        Assert.Contains("This team's report addresses (rua=): mailto:reports+", alone, StringComparison.Ordinal);
        Assert.DoesNotContain("Another team", alone, StringComparison.Ordinal);

        // The other team registers the same name: the reports (seeded as received at the shared address) are shown to
        // neither team any more, and the text form says why.
        var otherId = (await JsonAsync(await other.PostAsync(new Uri("/api/v1/domains", UriKind.Relative), JsonContent("""{"name":"example.test"}""")), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        Assert.Equal(0, (await JsonAsync(await ops.GetAsync(new Uri(path, UriKind.Relative)), HttpStatusCode.OK)).GetProperty("reports").GetInt32());
        var theirs = await JsonAsync(await other.GetAsync(new Uri($"/api/v1/domains/{otherId}/tlsrpt?from={from}&to={to}", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal((0, 0), (theirs.GetProperty("reports").GetInt32(), theirs.GetProperty("failures").GetArrayLength()));
        Assert.Contains("Another team has registered this domain too", await service.CliAsync("domains", "tlsrpt", "example.test", "--team", "ops"), StringComparison.Ordinal);

        // The setup help for API users: the team's own address, and the record to publish with it.
        var setup = await JsonAsync(await ops.GetAsync(new Uri($"/api/v1/domains/{id}/tlsrpt/setup", UriKind.Relative)), HttpStatusCode.OK);
        var teamAddress = Assert.Single(setup.GetProperty("teamAddresses").EnumerateArray()).GetString()!;
        Assert.Matches("^mailto:reports\\+[0-9a-f]{32}@monitor\\.example$", teamAddress);
        Assert.False(setup.GetProperty("sharedAddressShown").GetBoolean());
        var record = setup.GetProperty("record");
        Assert.Equal(("_smtp._tls.example.test", $"v=TLSRPTv1; rua=mailto:tlsrpt@example.test,{teamAddress}", "NotToUs"),
            (record.GetProperty("name").GetString(), record.GetProperty("value").GetString(), record.GetProperty("reason").GetString()));
        var theirSetup = await JsonAsync(await other.GetAsync(new Uri($"/api/v1/domains/{otherId}/tlsrpt/setup", UriKind.Relative)), HttpStatusCode.OK);
        Assert.NotEqual(teamAddress, Assert.Single(theirSetup.GetProperty("teamAddresses").EnumerateArray()).GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(new Uri($"/api/v1/domains/{id}/tlsrpt/setup", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task The_domain_page_draws_the_chart_and_escapes_what_reports_say()
    {
        var (started, id, today) = await StartSeededAsync(postgres, "tlsrpt_page");
        await using var service = started;
        using var browser = service.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("ops@example.test", ServiceUnderTest.Password)).StatusCode);
        var page = await browser.Http.GetAsync(new Uri($"/domains/{id}", UriKind.Relative));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        Assert.Contains("What senders saw", html, StringComparison.Ordinal);
        Assert.Contains("<svg class=\"sessions-chart\"", html, StringComparison.Ordinal);
        Assert.Equal(30, CountOf(html, "<g class=\"day\""));
        Assert.Equal(2, CountOf(html, "class=\"bar-failed\""));
        Assert.Contains($"data-date=\"{today.AddDays(-2):yyyy-MM-dd}\"", html, StringComparison.Ordinal);
        // Report text is encoded wherever it appears (tables, policy text), never markup.
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>no starttls", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; Evil &amp; &quot;Co&quot;", html, StringComparison.Ordinal);
        // The policy Google applied is ours; the other sender's is not one we served.
        Assert.Contains("data-verdict=\"Current\"", html, StringComparison.Ordinal);
        Assert.Contains("data-verdict=\"Different\"", html, StringComparison.Ordinal);
        Assert.Contains(FindingCodes.SmtpCertExpired, html, StringComparison.Ordinal);
        Assert.Contains("unexplained", html, StringComparison.Ordinal);
        // The hostile sender's total (7) disagrees with its details (3).
        Assert.Contains("total 7, details add up to 3", html, StringComparison.Ordinal);
        // The domain reports to its own mailbox only: the page shows the record with the team's own address added.
        string key;
        await using (var db = MonitorDb.Create(service.ConnectionString))
            key = await db.Teams.Where(t => t.Name == "ops").Select(t => t.TlsRptKey).SingleAsync();
        var text = WebUtility.HtmlDecode(html); // Razor writes '+' as &#x2B;
        Assert.Contains($"_smtp._tls.example.test. IN TXT \"v=TLSRPTv1; rua=mailto:tlsrpt@example.test,mailto:reports+{key}@monitor.example\"", text, StringComparison.Ordinal);
        Assert.Contains($"This team's report addresses (reports sent there are shown to this team only): mailto:reports+{key}@monitor.example", text, StringComparison.Ordinal);
        // The team's settings page names them too.
        Guid teamId;
        await using (var db = MonitorDb.Create(service.ConnectionString))
            teamId = await db.Teams.Where(t => t.Name == "ops").Select(t => t.Id).SingleAsync();
        var settings = WebUtility.HtmlDecode(await (await browser.Http.GetAsync(new Uri($"/teams/{teamId}", UriKind.Relative))).Content.ReadAsStringAsync());
        Assert.Contains($"<li><code>mailto:reports+{key}@monitor.example</code></li>", settings, StringComparison.Ordinal);

        // A change plan started three days ago: its card says what senders reported since, and who applied a policy we did not serve.
        using (var ops = service.Client(await service.CreateTokenAsync("ops")))
        {
            var made = await ops.PostAsync(new Uri($"/api/v1/domains/{id}/plans", UriKind.Relative), JsonContent("""{"newMx":["mx9.example.test"]}"""));
            Assert.True(made.IsSuccessStatusCode, await made.Content.ReadAsStringAsync());
        }
        await using (var db = MonitorDb.Create(service.ConnectionString))
            await db.Database.ExecuteSqlRawAsync("UPDATE change_plans SET created_at = now() - interval '3 days'");
        var planned = await (await browser.Http.GetAsync(new Uri($"/domains/{id}", UriKind.Relative))).Content.ReadAsStringAsync();
        var planSenders = planned[planned.IndexOf("id=\"plan-senders\"", StringComparison.Ordinal)..];
        planSenders = planSenders[..planSenders.IndexOf("</p>", StringComparison.Ordinal)];
        Assert.Contains($"since {today.AddDays(-3):yyyy-MM-dd}", planSenders, StringComparison.Ordinal);
        Assert.Contains("150 successful and 12 failed sessions", planSenders, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; Evil &amp; &quot;Co&quot;", planSenders, StringComparison.Ordinal);
        Assert.DoesNotContain("plan-senders-stale", planSenders, StringComparison.Ordinal);

        var ninety = await (await browser.Http.GetAsync(new Uri($"/domains/{id}?senders=90", UriKind.Relative))).Content.ReadAsStringAsync();
        Assert.Equal(90, CountOf(ninety, "<g class=\"day\""));
        Assert.DoesNotContain("bar-failed\" x=\"\"", ninety, StringComparison.Ordinal);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
