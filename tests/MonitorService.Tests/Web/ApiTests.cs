using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MonitorService.Tests.Infrastructure;
using Npgsql;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Web;

/// <summary>The JSON API against the real service and PostgreSQL: auth, team isolation, validation, pagination, history.</summary>
[Collection(PostgresCollection.Name)]
public class ApiTests(PostgresFixture postgres)
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} instead of {(int)expected}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(response, expected);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }

    private static async Task<JsonElement> WaitForAsync(HttpClient client, string path, Func<JsonElement, bool> done)
    {
        for (var i = 0; i < 150; i++)
        {
            var response = await client.GetAsync(new Uri(path, UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK && JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone() is var json && done(json))
                return json;
            await Task.Delay(200);
        }
        throw new TimeoutException($"{path} did not reach the expected state");
    }

    [Fact]
    public async Task Every_endpoint_within_the_team_with_problem_details_and_isolation()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "api_flow");
        await service.AddUserAsync("ops@example.test", "ops");
        await service.AddUserAsync("other@example.test", "other");
        using var ops = service.Client(await service.CreateTokenAsync("ops"));
        using var other = service.Client(await service.CreateTokenAsync("other"));
        using var anonymous = service.Client();

        // No token, or a wrong one: 401 with a problem document and the scheme to use.
        var unauthenticated = await anonymous.GetAsync(new Uri("/api/v1/domains", UriKind.Relative));
        await ProblemAsync(unauthenticated, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", unauthenticated.Headers.WwwAuthenticate.Single().Scheme);
        using (var forged = service.Client("mts_not-a-real-token"))
            await ProblemAsync(await forged.GetAsync(new Uri("/api/v1/domains", UriKind.Relative)), HttpStatusCode.Unauthorized);

        // Add: one valid, one malformed (400 with the field), one duplicate (409).
        var added = await JsonAsync(await ops.PostAsJsonAsync("/api/v1/domains", new { name = "Example.TEST.", intervalSeconds = 3600, recipients = new[] { "a@example.test" } }), HttpStatusCode.Created);
        Assert.Equal(("example.test", "ops", "pending"), (added.GetProperty("name").GetString(), added.GetProperty("team").GetString(), added.GetProperty("status").GetString()));
        var id = added.GetProperty("id").GetGuid();
        var malformed = await ProblemAsync(await ops.PostAsJsonAsync("/api/v1/domains", new { name = "not a domain" }), HttpStatusCode.BadRequest);
        Assert.Contains("not a domain name", malformed.GetProperty("errors").GetProperty("name")[0].GetString(), StringComparison.Ordinal);
        await ProblemAsync(await ops.PostAsJsonAsync("/api/v1/domains", new { name = "example.test" }), HttpStatusCode.Conflict);
        await ProblemAsync(await ops.PostAsJsonAsync("/api/v1/domains", new { name = "x.example.test", intervalSeconds = 60 }), HttpStatusCode.BadRequest);

        // The first check runs right away: its report appears without anyone asking.
        var report = await WaitForAsync(ops, $"/api/v1/domains/{id}/report", _ => true);
        Assert.Equal("ok", report.GetProperty("status").GetString());
        var domain = await JsonAsync(await ops.GetAsync(new Uri($"/api/v1/domains/{id}", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal("enforce", domain.GetProperty("mode").GetString());
        Assert.NotEqual(JsonValueKind.Null, domain.GetProperty("nextCheckAt").ValueKind);
        var listed = (await JsonAsync(await ops.GetAsync(new Uri("/api/v1/domains", UriKind.Relative)), HttpStatusCode.OK)).GetProperty("items")[0];
        Assert.Equal("a@example.test", listed.GetProperty("recipients")[0].GetString());
        Assert.Equal(domain.GetProperty("createdAt").GetDateTimeOffset(), listed.GetProperty("createdAt").GetDateTimeOffset());

        // Update, with validation.
        var updated = await JsonAsync(await ops.PatchAsJsonAsync($"/api/v1/domains/{id}", new { intervalSeconds = 1800, enabled = true }), HttpStatusCode.OK);
        Assert.Equal(1800, updated.GetProperty("intervalSeconds").GetInt32());
        var badPatch = await ProblemAsync(await ops.PatchAsJsonAsync($"/api/v1/domains/{id}", new { recipients = new[] { "nobody" } }), HttpStatusCode.BadRequest);
        Assert.Contains("not an e-mail address", badPatch.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Another team sees nothing of it: 404, not 403, so existence is not disclosed.
        await ProblemAsync(await other.GetAsync(new Uri($"/api/v1/domains/{id}", UriKind.Relative)), HttpStatusCode.NotFound);
        await ProblemAsync(await other.GetAsync(new Uri($"/api/v1/domains/{id}/report", UriKind.Relative)), HttpStatusCode.NotFound);
        await ProblemAsync(await other.PatchAsJsonAsync($"/api/v1/domains/{id}", new { enabled = false }), HttpStatusCode.NotFound);
        await ProblemAsync(await other.PostAsync(new Uri($"/api/v1/domains/{id}/check", UriKind.Relative), null), HttpStatusCode.NotFound);
        await ProblemAsync(await other.DeleteAsync(new Uri($"/api/v1/domains/{id}", UriKind.Relative)), HttpStatusCode.NotFound);
        Assert.Equal(0, (await JsonAsync(await other.GetAsync(new Uri("/api/v1/domains", UriKind.Relative)), HttpStatusCode.OK)).GetProperty("total").GetInt32());

        // A new policy under a new id, then "check now": a second policy version to diff.
        await ProblemAsync(await ops.GetAsync(new Uri($"/api/v1/domains/{id}/diff?kind=policy", UriKind.Relative)), HttpStatusCode.BadRequest);
        service.Env.Https.SetResponse(PolicyHost, PolicyResponse.Ok("version: STSv1\r\nmode: testing\r\nmax_age: 86400\r\nmx: mx1.example.test\r\nmx: mx2.example.test\r\n"));
        service.Env.Zone.Remove($"_mta-sts.{Domain}", "TXT");
        service.Env.Zone.AddTxt($"_mta-sts.{Domain}", "v=STSv1; id=20260301");
        await JsonAsync(await ops.PostAsync(new Uri($"/api/v1/domains/{id}/check", UriKind.Relative), null), HttpStatusCode.Accepted);
        var observations = await WaitForAsync(ops, $"/api/v1/domains/{id}/observations", o => o.GetProperty("total").GetInt32() >= 2);
        var diff = await JsonAsync(await ops.GetAsync(new Uri($"/api/v1/domains/{id}/diff?kind=policy", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Contains(diff.GetProperty("lines").EnumerateArray(), l => l.GetProperty("kind").GetString() == "changed" && l.GetProperty("right").GetString() == "mode: testing");
        await ProblemAsync(await ops.GetAsync(new Uri($"/api/v1/domains/{id}/diff?kind=dns", UriKind.Relative)), HttpStatusCode.BadRequest);
        var events = await JsonAsync(await ops.GetAsync(new Uri($"/api/v1/domains/{id}/events", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Contains(events.GetProperty("items").EnumerateArray(), e => e.GetProperty("code").GetString() == "DRIFT_MODE_DOWNGRADE");
        await JsonAsync(await ops.GetAsync(new Uri($"/api/v1/domains/{id}/incidents?state=all", UriKind.Relative)), HttpStatusCode.OK);
        await ProblemAsync(await ops.GetAsync(new Uri($"/api/v1/domains/{id}/incidents?state=closed", UriKind.Relative)), HttpStatusCode.BadRequest);
        var cache = await JsonAsync(await ops.GetAsync(new Uri($"/api/v1/domains/{id}/cache", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal(2, cache.GetArrayLength()); // the enforce policy is still in caches for a week, the new one for a day

        // Snapshots: only those of this domain's timeline.
        var reportSnapshot = observations.GetProperty("items")[0].GetProperty("reportSnapshotId").GetInt64();
        var snapshot = await JsonAsync(await ops.GetAsync(new Uri($"/api/v1/domains/{id}/snapshots/{reportSnapshot}", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal("report", snapshot.GetProperty("kind").GetString());
        await ProblemAsync(await ops.GetAsync(new Uri($"/api/v1/domains/{id}/snapshots/999999", UriKind.Relative)), HttpStatusCode.NotFound);

        // The OpenAPI document describes the API, to token holders.
        await ProblemAsync(await anonymous.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative)), HttpStatusCode.Unauthorized);
        var openApi = await JsonAsync(await ops.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative)), HttpStatusCode.OK);
        Assert.True(openApi.GetProperty("paths").TryGetProperty("/api/v1/domains/{id}/diff", out _));

        // Delete.
        Assert.Equal(HttpStatusCode.NoContent, (await ops.DeleteAsync(new Uri($"/api/v1/domains/{id}", UriKind.Relative))).StatusCode);
        await ProblemAsync(await ops.GetAsync(new Uri($"/api/v1/domains/{id}", UriKind.Relative)), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Ten_thousand_domains_are_listed_a_page_at_a_time_quickly()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "api_paging");
        await service.AddUserAsync("ops@example.test", "ops");
        using var ops = service.Client(await service.CreateTokenAsync("ops"));
        await using (var connection = new NpgsqlConnection(service.ConnectionString))
        {
            await connection.OpenAsync();
            // Disabled, so the scheduler leaves them alone; statuses spread over the four values.
            await using var insert = new NpgsqlCommand("""
                INSERT INTO domains (id, team_id, name, interval_seconds, enabled, recipients, created_at, updated_at, status, consecutive_policy_failures)
                SELECT gen_random_uuid(), t.id, 'd' || lpad(n::text, 5, '0') || '.example.test', 3600, false, '{}', now(), now(),
                       (ARRAY['ok','warning','error','pending'])[1 + n % 4], 0
                FROM generate_series(1, 10000) n, teams t WHERE t.name = 'ops'
                """, connection);
            await insert.ExecuteNonQueryAsync();
        }

        var stopwatch = Stopwatch.StartNew();
        var page = await JsonAsync(await ops.GetAsync(new Uri("/api/v1/domains?page=3&pageSize=100&sort=status", UriKind.Relative)), HttpStatusCode.OK);
        stopwatch.Stop();
        Assert.Equal((10000, 3, 100, 100), (page.GetProperty("total").GetInt32(), page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32(), page.GetProperty("items").GetArrayLength()));
        Assert.All(page.GetProperty("items").EnumerateArray(), d => Assert.Equal("error", d.GetProperty("status").GetString()));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"a page took {stopwatch.Elapsed}");

        var filtered = await JsonAsync(await ops.GetAsync(new Uri("/api/v1/domains?status=warning&search=d0001", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal(2, filtered.GetProperty("total").GetInt32()); // d00010..d00019 with n % 4 == 1: d00013 and d00017
        await ProblemAsync(await ops.GetAsync(new Uri("/api/v1/domains?pageSize=1000", UriKind.Relative)), HttpStatusCode.BadRequest);
        await ProblemAsync(await ops.GetAsync(new Uri("/api/v1/domains?status=broken", UriKind.Relative)), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Out_of_range_paging_is_a_400_problem_and_past_the_end_an_empty_page()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "api_paging_range");
        await service.AddUserAsync("ops@example.test", "ops");
        using var ops = service.Client(await service.CreateTokenAsync("ops"));
        var id = (await JsonAsync(await ops.PostAsJsonAsync("/api/v1/domains", new { name = "example.test" }), HttpStatusCode.Created)).GetProperty("id").GetGuid();

        // Before: the offset (page - 1) * pageSize overflowed and the API answered 500.
        foreach (var path in new[] { "/api/v1/domains", $"/api/v1/domains/{id}/observations", $"/api/v1/domains/{id}/events" })
        {
            var problem = await ProblemAsync(await ops.GetAsync(new Uri($"{path}?page=2147483647&pageSize=200", UriKind.Relative)), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("page", out _), path);
            await ProblemAsync(await ops.GetAsync(new Uri($"{path}?page=0", UriKind.Relative)), HttpStatusCode.BadRequest);
            await ProblemAsync(await ops.GetAsync(new Uri($"{path}?pageSize=0", UriKind.Relative)), HttpStatusCode.BadRequest);
            await ProblemAsync(await ops.GetAsync(new Uri($"{path}?page=x", UriKind.Relative)), HttpStatusCode.BadRequest);
        }
        var pastTheEnd = await JsonAsync(await ops.GetAsync(new Uri("/api/v1/domains?page=5000&pageSize=200", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal((0, 1), (pastTheEnd.GetProperty("items").GetArrayLength(), pastTheEnd.GetProperty("total").GetInt32()));
        await ProblemAsync(await ops.GetAsync(new Uri($"/api/v1/domains?search={new string('a', 300)}", UriKind.Relative)), HttpStatusCode.BadRequest);

        // The dashboard's paged pages show an empty page instead of failing.
        await service.AddUserAsync("admin@example.test", "ops", admin: true);
        using var browser = service.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("admin@example.test", ServiceUnderTest.Password)).StatusCode);
        var list = await browser.Http.GetAsync(new Uri("/?page=2147483647", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        var team = (await JsonAsync(await ops.GetAsync(new Uri($"/api/v1/domains/{id}", UriKind.Relative)), HttpStatusCode.OK)).GetProperty("team").GetString();
        Assert.Equal("ops", team);
        var teamPage = await browser.Http.GetStringAsync(new Uri("/teams", UriKind.Relative));
        var teamId = System.Text.RegularExpressions.Regex.Match(teamPage, "/teams/([0-9a-f-]{36})").Groups[1].Value;
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync(new Uri($"/teams/{teamId}/alerts?page=2147483647", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Each_token_is_rate_limited_and_callers_without_one_by_address()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "api_rate", new Dictionary<string, string?>
        {
            ["Web:RateLimits:PerToken"] = "5",
            ["Web:RateLimits:PerAnonymousAddress"] = "3",
            ["Web:RateLimits:PerAddress"] = "30",
        });
        await service.AddUserAsync("ops@example.test", "ops");
        var from = IPAddress.Parse("127.0.0.2");
        using var first = service.Client(await service.CreateTokenAsync("ops"), from);
        using var second = service.Client(await service.CreateTokenAsync("ops"), from);

        for (var i = 0; i < 5; i++)
            await JsonAsync(await first.GetAsync(new Uri("/api/v1/domains", UriKind.Relative)), HttpStatusCode.OK);
        var limited = await first.GetAsync(new Uri("/api/v1/domains", UriKind.Relative));
        await ProblemAsync(limited, HttpStatusCode.TooManyRequests);
        Assert.InRange(limited.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(61));
        // Another token from the same address has its own budget.
        await JsonAsync(await second.GetAsync(new Uri("/api/v1/domains", UriKind.Relative)), HttpStatusCode.OK);

        // Without a token: a small budget per address.
        using var anonymous = service.Client(from: IPAddress.Parse("127.0.0.3"));
        for (var i = 0; i < 3; i++)
            await ProblemAsync(await anonymous.GetAsync(new Uri("/api/v1/domains", UriKind.Relative)), HttpStatusCode.Unauthorized);
        await ProblemAsync(await anonymous.GetAsync(new Uri("/api/v1/domains", UriKind.Relative)), HttpStatusCode.TooManyRequests);

        // Guessing tokens, a new one each time: bounded by the address's budget for every request.
        using var guesser = service.Client(from: IPAddress.Parse("127.0.0.4"));
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 31; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/v1/domains", UriKind.Relative));
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", $"mts_guess{i:D4}");
            answers.Add((await guesser.SendAsync(request)).StatusCode);
        }
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 30), HttpStatusCode.TooManyRequests], answers);
    }

    [Fact]
    public async Task Check_now_is_accepted_once_a_minute_per_domain()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "api_check_now");
        await service.AddUserAsync("ops@example.test", "ops");
        using var ops = service.Client(await service.CreateTokenAsync("ops"));
        var first = (await JsonAsync(await ops.PostAsJsonAsync("/api/v1/domains", new { name = "example.test" }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var second = (await JsonAsync(await ops.PostAsJsonAsync("/api/v1/domains", new { name = "www.example.test" }), HttpStatusCode.Created)).GetProperty("id").GetGuid();

        await JsonAsync(await ops.PostAsync(new Uri($"/api/v1/domains/{first}/check", UriKind.Relative), null), HttpStatusCode.Accepted);
        var again = await ops.PostAsync(new Uri($"/api/v1/domains/{first}/check", UriKind.Relative), null);
        var problem = await ProblemAsync(again, HttpStatusCode.TooManyRequests);
        Assert.InRange(again.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Contains("once a minute", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // Per domain: another one is not held back.
        await JsonAsync(await ops.PostAsync(new Uri($"/api/v1/domains/{second}/check", UriKind.Relative), null), HttpStatusCode.Accepted);

        // The domain page says so too (the same domain, already checked through the API).
        using var browser = service.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("ops@example.test", ServiceUnderTest.Password)).StatusCode);
        var posted = await browser.PostFormAsync($"/domains/{first}", $"/domains/{first}?handler=Check", []);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var page = await browser.Http.GetStringAsync(posted.Headers.Location);
        Assert.Matches("Check now is possible once a minute per domain: try again in [0-9]+ s", page);
    }

    [Fact]
    public async Task The_team_quota_holds_for_the_API_the_dashboard_and_the_command_line()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "api_quota", new Dictionary<string, string?> { ["Domains:MaxPerTeam"] = "2" });
        await service.AddUserAsync("ops@example.test", "ops");
        using var ops = service.Client(await service.CreateTokenAsync("ops"));

        await JsonAsync(await ops.PostAsJsonAsync("/api/v1/domains", new { name = "a.example.test" }), HttpStatusCode.Created);
        await JsonAsync(await ops.PostAsJsonAsync("/api/v1/domains", new { name = "b.example.test" }), HttpStatusCode.Created);
        var refused = await ProblemAsync(await ops.PostAsJsonAsync("/api/v1/domains", new { name = "c.example.test" }), HttpStatusCode.Conflict);
        Assert.Contains("quota of 2 domains", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var browser = service.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync("ops@example.test", ServiceUnderTest.Password)).StatusCode);
        var teamId = System.Text.RegularExpressions.Regex.Match(await browser.Http.GetStringAsync(new Uri("/domains/add", UriKind.Relative)), "option value=\"([0-9a-f-]{36})\"").Groups[1].Value;
        var bulk = await browser.PostFormAsync("/domains/add", "/domains/add", new Dictionary<string, string>
        {
            ["TeamId"] = teamId,
            ["Names"] = "c.example.test\nd.example.test",
            ["Interval"] = "3600",
        });
        var results = await bulk.Content.ReadAsStringAsync();
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(results, "quota of 2 domains").Count);

        var (exit, _, stderr) = await service.RunCliAsync(["domains", "add", "e.example.test", "--team", "ops"]);
        Assert.Equal(MonitorService.Cli.ExitCodes.Usage, exit);
        Assert.Contains("quota of 2 domains", stderr, StringComparison.Ordinal);

        // Other teams have their own quota.
        await service.CliAsync("domains", "add", "c.example.test", "--team", "other");
        Assert.Equal(2, (await JsonAsync(await ops.GetAsync(new Uri("/api/v1/domains", UriKind.Relative)), HttpStatusCode.OK)).GetProperty("total").GetInt32());
    }
}
