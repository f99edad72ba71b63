using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MonitorService.Storage;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Web;

namespace MonitorService.Tests.Channels;

/// <summary>
/// Alert channels through the real service: the JSON API (tokens, problem details, rate limits) and the team page's
/// "send a test" button, with one team attacking the other's channels, delivering to a real HTTPS receiver on loopback.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class ChannelWebTests(PostgresFixture postgres) : IAsyncLifetime
{
    private readonly TestCertificateAuthority _ca = new("Webhook Test CA");
    private readonly string _caFile = Path.Combine(Path.GetTempPath(), $"monitor-webhook-ca-{Guid.NewGuid():N}.pem");
    private WebhookReceiver _receiver = null!;

    public async Task InitializeAsync()
    {
        _ca.WriteRootPemFile(_caFile);
        _receiver = await WebhookReceiver.StartAsync(_ca.IssueLeaf(ChannelTestKit.ReceiverHost), ChannelTestKit.ReceiverIp);
    }

    public async Task DisposeAsync()
    {
        await _receiver.DisposeAsync();
        _ca.Dispose();
        File.Delete(_caFile);
    }

    private async Task<ServiceUnderTest> StartAsync(string hint)
    {
        var service = await ServiceUnderTest.StartAsync(postgres, hint, new Dictionary<string, string?>
        {
            ["Alerts:Webhooks:CaFile"] = _caFile,
            ["Alerts:Webhooks:AllowPrivateAddresses"] = "true",
        });
        service.Env.Zone.AddA(ChannelTestKit.ReceiverHost, ChannelTestKit.ReceiverIp.ToString());
        return service;
    }

    private string Url(string path) => _receiver.Url(ChannelTestKit.ReceiverHost, path).AbsoluteUri;

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode} instead of {(int)expected}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    [Fact]
    public async Task The_api_manages_and_tests_a_teams_channels_and_another_team_reaches_none_of_them()
    {
        await using var service = await StartAsync("channels_api");
        await service.AddUserAsync("ops@example.test", "ops");
        await service.AddUserAsync("other@example.test", "other");
        using var ops = service.Client(await service.CreateTokenAsync("ops"));
        using var other = service.Client(await service.CreateTokenAsync("other"));
        using var anonymous = service.Client();

        await JsonAsync(await anonymous.GetAsync(new Uri("/api/v1/channels", UriKind.Relative)), HttpStatusCode.Unauthorized);

        // Create: the secret is in this response only, never cached; the URL is shown by its host.
        var createdResponse = await ops.PostAsJsonAsync("/api/v1/channels", new { name = "on-call", kind = "webhook", url = Url("/hook/SECRET-PATH"), driftThreshold = "error" });
        Assert.Equal("no-store", createdResponse.Headers.CacheControl?.ToString());
        var created = await JsonAsync(createdResponse, HttpStatusCode.Created);
        var id = created.GetProperty("channel").GetProperty("id").GetGuid();
        var secret = created.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal($"https://{ChannelTestKit.ReceiverHost}:{_receiver.Port}", created.GetProperty("channel").GetProperty("url").GetString());
        Assert.Equal(("error", "team"), (created.GetProperty("channel").GetProperty("driftThreshold").GetString(), created.GetProperty("channel").GetProperty("incidentThreshold").GetString()));
        var fetched = await ops.GetStringAsync(new Uri($"/api/v1/channels/{id}", UriKind.Relative));
        Assert.DoesNotContain(secret, fetched, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET-PATH", fetched, StringComparison.Ordinal);
        Assert.Single((await JsonAsync(await ops.GetAsync(new Uri("/api/v1/channels", UriKind.Relative)), HttpStatusCode.OK)).EnumerateArray());

        // Refused values name their field.
        var http = await JsonAsync(await ops.PostAsJsonAsync("/api/v1/channels", new { name = "plain", kind = "slack", url = "http://hooks.example.test/x" }), HttpStatusCode.BadRequest);
        Assert.Contains("https://", http.GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.Ordinal);
        var kind = await JsonAsync(await ops.PostAsJsonAsync("/api/v1/channels", new { name = "pager", kind = "pager", url = Url("/p") }), HttpStatusCode.BadRequest);
        Assert.True(kind.GetProperty("errors").TryGetProperty("kind", out _));
        await JsonAsync(await ops.PostAsJsonAsync("/api/v1/channels", new { name = "on-call", kind = "slack", url = Url("/s") }), HttpStatusCode.Conflict);

        // Another team: no list entry, and 404 on every operation; nothing reaches the receiver.
        Assert.Empty((await JsonAsync(await other.GetAsync(new Uri("/api/v1/channels", UriKind.Relative)), HttpStatusCode.OK)).EnumerateArray());
        await JsonAsync(await other.GetAsync(new Uri($"/api/v1/channels/{id}", UriKind.Relative)), HttpStatusCode.NotFound);
        await JsonAsync(await other.PatchAsJsonAsync($"/api/v1/channels/{id}", new { url = "https://attacker.example/hook", enabled = false }), HttpStatusCode.NotFound);
        await JsonAsync(await other.PostAsync(new Uri($"/api/v1/channels/{id}/test", UriKind.Relative), null), HttpStatusCode.NotFound);
        await JsonAsync(await other.PostAsync(new Uri($"/api/v1/channels/{id}/secret", UriKind.Relative), null), HttpStatusCode.NotFound);
        await JsonAsync(await other.DeleteAsync(new Uri($"/api/v1/channels/{id}", UriKind.Relative)), HttpStatusCode.NotFound);
        Assert.Empty(_receiver.Requests);

        // Test: delivered now, signed with the secret; again at once: 429 with Retry-After.
        var test = await JsonAsync(await ops.PostAsync(new Uri($"/api/v1/channels/{id}/test", UriKind.Relative), null), HttpStatusCode.OK);
        Assert.Equal("sent", test.GetProperty("outcome").GetString());
        var request = Assert.Single(_receiver.Requests);
        Assert.Equal("/hook/SECRET-PATH", request.Path);
        Assert.Equal("test", JsonDocument.Parse(request.Body).RootElement.GetProperty("type").GetString());
        var signature = System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret),
            System.Text.Encoding.ASCII.GetBytes(request.Header("X-MonitorService-Timestamp") + ".").Concat(request.Body).ToArray());
        Assert.Equal("sha256=" + Convert.ToHexString(signature).ToLowerInvariant(), request.Header("X-MonitorService-Signature"));
        var again = await ops.PostAsync(new Uri($"/api/v1/channels/{id}/test", UriKind.Relative), null);
        await JsonAsync(again, HttpStatusCode.TooManyRequests);
        Assert.NotNull(again.Headers.RetryAfter);

        // Change and remove.
        var patched = await JsonAsync(await ops.PatchAsJsonAsync($"/api/v1/channels/{id}", new { incidentThreshold = "warning", enabled = false }), HttpStatusCode.OK);
        Assert.Equal(("warning", false), (patched.GetProperty("incidentThreshold").GetString(), patched.GetProperty("enabled").GetBoolean()));
        var rotated = await JsonAsync(await ops.PostAsync(new Uri($"/api/v1/channels/{id}/secret", UriKind.Relative), null), HttpStatusCode.OK);
        Assert.NotEqual(secret, rotated.GetProperty("secret").GetString());
        await JsonAsync(await ops.DeleteAsync(new Uri($"/api/v1/channels/{id}", UriKind.Relative)), HttpStatusCode.NoContent);
        await JsonAsync(await ops.GetAsync(new Uri($"/api/v1/channels/{id}", UriKind.Relative)), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_team_page_sends_a_test_and_a_member_of_another_team_cannot()
    {
        await using var service = await StartAsync("channels_page");
        await service.AddUserAsync("ops@example.test", "ops");
        await service.AddUserAsync("other@example.test", "other");
        Guid opsTeam, otherTeam;
        await using (var db = MonitorDb.Create(service.ConnectionString))
        {
            opsTeam = (await db.Teams.SingleAsync(t => t.Name == "ops")).Id;
            otherTeam = (await db.Teams.SingleAsync(t => t.Name == "other")).Id;
        }
        var teamPage = $"/teams/{opsTeam}";
        var channelsPage = $"{teamPage}/channels";

        using var member = service.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await member.SignInAsync("ops@example.test", ServiceUnderTest.Password)).StatusCode);
        var added = await member.PostFormAsync(channelsPage, channelsPage + "?handler=Create", new Dictionary<string, string>
        {
            ["name"] = "team room", ["kind"] = "teams", ["url"] = Url("/workflow"), ["incidentThreshold"] = "team", ["driftThreshold"] = "team",
        });
        Assert.Contains("Channel &quot;team room&quot; added", await added.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The team page lists it with a "send a test" button, which posts to the channels page.
        var settings = await member.Http.GetStringAsync(new Uri(teamPage, UriKind.Relative));
        Assert.Contains("team room", settings, StringComparison.Ordinal);
        Assert.Contains($"action=\"{channelsPage}?handler=Test\"", settings, StringComparison.Ordinal);
        Guid channelId;
        await using (var db = MonitorDb.Create(service.ConnectionString))
            channelId = (await db.AlertChannels.SingleAsync()).Id;

        // A member of another team: the channels page is not found, and the button's post does nothing.
        using var outsider = service.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await outsider.SignInAsync("other@example.test", ServiceUnderTest.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.Http.GetAsync(new Uri(channelsPage, UriKind.Relative))).StatusCode);
        var foreign = await outsider.PostFormAsync("/teams", channelsPage + "?handler=Test", new Dictionary<string, string> { ["channelId"] = channelId.ToString() });
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        // ... nor through the own team's page with the other team's channel id.
        var ownPage = $"/teams/{otherTeam}/channels";
        foreach (var handler in new[] { "Test", "Delete", "NewSecret" })
        {
            var smuggled = await outsider.PostFormAsync(ownPage, $"{ownPage}?handler={handler}", new Dictionary<string, string> { ["channelId"] = channelId.ToString() });
            Assert.Equal(HttpStatusCode.NotFound, smuggled.StatusCode);
        }
        var update = await outsider.PostFormAsync(ownPage, $"{ownPage}?handler=Update", new Dictionary<string, string>
        {
            ["channelId"] = channelId.ToString(), ["incidentThreshold"] = "warning", ["driftThreshold"] = "warning",
        });
        Assert.Equal(HttpStatusCode.NotFound, update.StatusCode);
        Assert.Empty(_receiver.Requests);
        await using (var db = MonitorDb.Create(service.ConnectionString))
            Assert.True((await db.AlertChannels.SingleAsync()).Enabled); // the update (enabled unchecked) did not land

        var tested = await member.PostFormAsync(teamPage, channelsPage + "?handler=Test", new Dictionary<string, string> { ["channelId"] = channelId.ToString() });
        Assert.Contains("Test sent", await tested.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var card = JsonDocument.Parse(Assert.Single(_receiver.Requests).Body).RootElement;
        Assert.Equal("AdaptiveCard", card.GetProperty("attachments")[0].GetProperty("content").GetProperty("type").GetString());

        // The alert log shows the test with its channel and attempt.
        var log = await member.Http.GetStringAsync(new Uri($"{teamPage}/alerts", UriKind.Relative));
        Assert.Contains("Microsoft Teams: team room", log, StringComparison.Ordinal);
        Assert.Contains("sent: 200 OK", log, StringComparison.Ordinal);
    }
}
