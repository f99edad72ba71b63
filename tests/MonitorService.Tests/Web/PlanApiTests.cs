using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MonitorService.Tests.Infrastructure;

namespace MonitorService.Tests.Web;

/// <summary><c>/api/v1/domains/{id}/plans</c> and <c>/dry-run</c> against the real service: the plan's JSON, one active plan, validation, team isolation, cancel.</summary>
[Collection(PostgresCollection.Name)]
public class PlanApiTests(PostgresFixture postgres)
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} instead of {(int)expected}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task Plan_read_refuse_a_second_validate_isolate_and_cancel()
    {
        await using var service = await ServiceUnderTest.StartAsync(postgres, "api_plans", new Dictionary<string, string?> { ["Checks:TimeoutSeconds"] = "5" });
        await service.AddUserAsync("ops@example.test", "ops");
        await service.AddUserAsync("other@example.test", "other");
        using var ops = service.Client(await service.CreateTokenAsync("ops"));
        using var other = service.Client(await service.CreateTokenAsync("other"));
        var id = (await JsonAsync(await ops.PostAsJsonAsync("/api/v1/domains", new { name = "example.test" }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        for (var i = 0; i < 150 && (await ops.GetAsync(new Uri($"/api/v1/domains/{id}/report", UriKind.Relative))).StatusCode != HttpStatusCode.OK; i++)
            await Task.Delay(200);
        var plans = $"/api/v1/domains/{id}/plans";

        // The dry run: judged against the stored report, with the same JSON as check --policy-file --format json.
        var dryRun = $"/api/v1/domains/{id}/dry-run";
        var judged = await JsonAsync(await ops.PostAsJsonAsync(dryRun, new { policy = "version: STSv1\nmode: enforce\nmx: mx1.example.test\nmax_age: 604800\n", mx = new[] { "mx1.example.test", "mx3.example.test" } }), HttpStatusCode.OK);
        Assert.Equal("error", judged.GetProperty("status").GetString());
        Assert.Contains(judged.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "MTASTS_MX_MISMATCH" && f.GetProperty("subject").GetString() == "mx3.example.test");
        Assert.True(judged.GetProperty("newIdNeeded").GetBoolean());
        var tooLarge = await JsonAsync(await ops.PostAsJsonAsync(dryRun, new { policy = new string('#', 64 * 1024 + 1) }), HttpStatusCode.BadRequest);
        Assert.Contains("larger than 64 KiB", tooLarge.GetProperty("errors").GetProperty("policy")[0].GetString(), StringComparison.Ordinal);
        await JsonAsync(await ops.PostAsJsonAsync(dryRun, new { mx = new[] { "not a host" } }), HttpStatusCode.BadRequest);
        await JsonAsync(await other.PostAsJsonAsync(dryRun, new { mx = new[] { "mx3.example.test" } }), HttpStatusCode.NotFound);

        var bad = await JsonAsync(await ops.PostAsJsonAsync(plans, new { newMx = new[] { "mx3.example.test:99999" } }), HttpStatusCode.BadRequest);
        Assert.Contains("preference", bad.GetProperty("errors").GetProperty("newMx")[0].GetString(), StringComparison.Ordinal);
        var badMode = await JsonAsync(await ops.PostAsJsonAsync(plans, new { newMx = new[] { "mx3.example.test" }, mode = "none" }), HttpStatusCode.BadRequest);
        Assert.True(badMode.GetProperty("errors").TryGetProperty("mode", out _));
        await JsonAsync(await ops.PostAsJsonAsync(plans, new { newMx = new[] { "mx1.example.test", "mx2.example.test" } }), HttpStatusCode.BadRequest);

        var created = await ops.PostAsJsonAsync(plans, new { newMx = new[] { "mx3.example.test" }, mode = "enforce", maxAge = 86400 });
        var plan = await JsonAsync(created, HttpStatusCode.Created);
        Assert.Equal($"/api/v1/domains/{id}/plans/active", created.Headers.Location?.ToString());
        Assert.Equal(["domain", "state", "target", "steps"], plan.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("example.test", "active", 86400L), (plan.GetProperty("domain").GetString(), plan.GetProperty("state").GetString(), plan.GetProperty("target").GetProperty("maxAge").GetInt64()));
        Assert.Equal(["lower-max-age", "wait-for-max-age", "publish-policy", "wait-for-sender-caches", "switch-mx", "remove-old-hosts"],
            plan.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("action").GetString()));
        Assert.Contains("max_age: 86400\n", plan.GetProperty("steps")[0].GetProperty("text").GetString(), StringComparison.Ordinal);

        await JsonAsync(await ops.PostAsJsonAsync(plans, new { newMx = new[] { "mx4.example.test" } }), HttpStatusCode.Conflict);
        var active = await JsonAsync(await ops.GetAsync(new Uri($"{plans}/active", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal(plan.ToString(), active.ToString());

        // Another team: every plan endpoint answers 404, as for any of its domains.
        await JsonAsync(await other.GetAsync(new Uri($"{plans}/active", UriKind.Relative)), HttpStatusCode.NotFound);
        await JsonAsync(await other.GetAsync(new Uri(plans, UriKind.Relative)), HttpStatusCode.NotFound);
        await JsonAsync(await other.DeleteAsync(new Uri($"{plans}/active", UriKind.Relative)), HttpStatusCode.NotFound);
        await JsonAsync(await other.PostAsJsonAsync(plans, new { newMx = new[] { "mx4.example.test" } }), HttpStatusCode.NotFound);

        var cancelled = await JsonAsync(await ops.DeleteAsync(new Uri($"{plans}/active", UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.GetProperty("state").GetString());
        await JsonAsync(await ops.GetAsync(new Uri($"{plans}/active", UriKind.Relative)), HttpStatusCode.NotFound);
        var history = await JsonAsync(await ops.GetAsync(new Uri(plans, UriKind.Relative)), HttpStatusCode.OK);
        Assert.Equal(["cancelled"], history.EnumerateArray().Select(p => p.GetProperty("state").GetString()));
    }
}
