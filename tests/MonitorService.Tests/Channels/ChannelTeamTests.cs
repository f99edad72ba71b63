using Microsoft.EntityFrameworkCore;
using MonitorService.Channels;
using MonitorService.Mail;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;
using static MonitorService.Testing.CheckEnvironment;

namespace MonitorService.Tests.Channels;

/// <summary>A team's channels: each with its severity filter, "send a test", and nothing of one team reachable from another.</summary>
[Collection(PostgresCollection.Name)]
public class ChannelTeamTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Each_channel_alerts_on_what_its_severity_filter_lets_through()
    {
        await using var kit = await ChannelTestKit.StartAsync(postgres, "channels_severity");
        var team = await kit.TeamAsync();
        await kit.AddChannelAsync(team, AlertChannelKinds.Webhook, "/errors-only", incidentThreshold: "error", driftThreshold: "error");
        await kit.AddChannelAsync(team, AlertChannelKinds.Webhook, "/as-the-team");
        await kit.AddChannelAsync(team, AlertChannelKinds.Webhook, "/warnings", driftThreshold: "warning");
        var id = await kit.Harness.AddDomainAsync();
        await kit.Harness.CheckAsync(id);

        // enforce → testing under a new id: a warning (DRIFT_MODE_DOWNGRADE) and nothing worse.
        kit.Harness.Clock.Advance(TimeSpan.FromHours(1));
        kit.Harness.Env.Https.SetResponse(PolicyHost, PolicyResponse.Policy("testing", 604800, Mx1, Mx2));
        kit.Harness.Env.Zone.Remove($"_mta-sts.{Domain}", "TXT");
        kit.Harness.Env.Zone.AddTxt($"_mta-sts.{Domain}", "v=STSv1; id=20260106");
        await kit.Harness.CheckAsync(id);
        await kit.Delivery.DeliverAsync(false, CancellationToken.None);

        Assert.Empty(kit.RequestsTo("/errors-only"));
        foreach (var path in new[] { "/as-the-team", "/warnings" })
        {
            var body = ChannelTestKit.Json(Assert.Single(kit.RequestsTo(path)));
            Assert.Equal("DRIFT_MODE_DOWNGRADE", body.GetProperty("new")[0].GetProperty("code").GetString());
        }

        // The team narrows its own filter to errors: the channel that follows the team follows, the explicit one does not.
        await using (var db = kit.Harness.Db())
            await db.Teams.Where(t => t.Id == team).ExecuteUpdateAsync(s => s.SetProperty(t => t.AlertDriftSeverities, ["error"]));
        kit.Harness.Clock.Advance(TimeSpan.FromHours(1));
        kit.Harness.Env.Https.SetResponse(PolicyHost, PolicyResponse.Policy("none", 604800, Mx1, Mx2));
        kit.Harness.Env.Zone.Remove($"_mta-sts.{Domain}", "TXT");
        kit.Harness.Env.Zone.AddTxt($"_mta-sts.{Domain}", "v=STSv1; id=20260107");
        await kit.Harness.CheckAsync(id);
        await kit.Delivery.DeliverAsync(false, CancellationToken.None);

        Assert.Empty(kit.RequestsTo("/errors-only"));
        Assert.Single(kit.RequestsTo("/as-the-team"));
        Assert.Equal(2, kit.RequestsTo("/warnings").Count);
    }

    [Fact]
    public async Task Send_a_test_reaches_the_channel_now_through_the_outbox_and_is_spaced_and_not_retried()
    {
        await using var kit = await ChannelTestKit.StartAsync(postgres, "channels_test");
        var team = await kit.TeamAsync();
        var (channel, secret) = await kit.AddChannelAsync(team, AlertChannelKinds.Webhook, "/webhook", name: "ops hook");

        var sent = await kit.Tester.TestAsync(team, channel.Id, CancellationToken.None);

        Assert.Equal((true, null), (sent.Found, sent.RetryAfter));
        Assert.Equal(DeliveryOutcomes.Sent, sent.Attempt!.Outcome);
        var request = Assert.Single(kit.RequestsTo("/webhook"));
        var body = ChannelTestKit.Json(request);
        Assert.Equal(("test", "example.com"), (body.GetProperty("type").GetString(), body.GetProperty("domain").GetString()));
        Assert.Contains("ops hook", body.GetProperty("headline").GetString(), StringComparison.Ordinal);
        Assert.NotNull(request.Header("X-MonitorService-Signature"));
        var delivery = Assert.Single(await kit.ChannelDeliveriesAsync());
        Assert.Equal((OutboxKinds.Test, OutboxStatus.Sent, team), (delivery.Kind, delivery.Status, delivery.TeamId));

        // Again at once: refused with the wait, nothing sent. Ten seconds later: allowed.
        var again = await kit.Tester.TestAsync(team, channel.Id, CancellationToken.None);
        Assert.Equal(TimeSpan.FromSeconds(10), again.RetryAfter);
        Assert.Null(again.Attempt);
        Assert.Single(kit.Receiver.Requests);

        // A failing receiver: the answer is shown now, and the test is not retried later.
        kit.Harness.Clock.Advance(TimeSpan.FromSeconds(10));
        kit.Receiver.Default = WebhookAnswer.Error(503, "maintenance");
        var failed = await kit.Tester.TestAsync(team, channel.Id, CancellationToken.None);
        Assert.Equal(DeliveryOutcomes.Transient, failed.Attempt!.Outcome);
        Assert.StartsWith("503 Service Unavailable: maintenance", failed.Attempt.Detail, StringComparison.Ordinal);
        kit.Harness.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, (await kit.Delivery.DeliverAsync(true, CancellationToken.None)).Attempted);
        Assert.Equal(2, kit.Receiver.Requests.Count);
        Assert.Equal([OutboxStatus.Sent, OutboxStatus.Failed], (await kit.ChannelDeliveriesAsync()).Select(d => d.Status));
        Assert.NotNull(secret);
    }

    [Fact]
    public async Task A_team_can_neither_see_nor_change_nor_test_another_teams_channel()
    {
        await using var kit = await ChannelTestKit.StartAsync(postgres, "channels_teams");
        var ops = await kit.TeamAsync("ops");
        var other = await kit.TeamAsync("other");
        var (channel, _) = await kit.AddChannelAsync(ops, AlertChannelKinds.Slack, "/slack");
        var service = kit.Channels;

        Assert.Empty(await service.ListAsync(other, CancellationToken.None));
        Assert.Null(await service.GetAsync(other, channel.Id, CancellationToken.None));
        Assert.Null(await service.UpdateAsync(other, channel.Id, new ChannelInput("mine now", null, "https://attacker.example/hook", null, null, false), CancellationToken.None));
        Assert.Null(await service.NewSecretAsync(other, channel.Id, CancellationToken.None));
        Assert.False(await service.DeleteAsync(other, channel.Id, CancellationToken.None));
        Assert.False((await kit.Tester.TestAsync(other, channel.Id, CancellationToken.None)).Found);

        var unchanged = await service.GetAsync(ops, channel.Id, CancellationToken.None);
        Assert.Equal(("slack /slack", true, channel.ProtectedUrl), (unchanged!.Name, unchanged.Enabled, unchanged.ProtectedUrl));
        Assert.Empty(kit.Receiver.Requests);
        Assert.Empty(await kit.ChannelDeliveriesAsync());

        // The other team's alerts do not reach ops's channel either.
        var theirs = await kit.Harness.Registry.AddAsync(Domain, "other", TimeSpan.FromHours(1), ["them@example.test"], CancellationToken.None);
        await kit.Harness.CheckAsync(theirs.Id);
        kit.Harness.Clock.Advance(TimeSpan.FromHours(1));
        kit.Harness.Env.Zone.AddMx(Domain, 30, ChannelTestKit.Mx3).AddA(ChannelTestKit.Mx3, MxSpareIp.ToString());
        await kit.Harness.CheckAsync(theirs.Id);
        await kit.Delivery.DeliverAsync(false, CancellationToken.None);
        Assert.Empty(kit.Receiver.Requests);
    }

    [Fact]
    public async Task A_removed_channels_queued_deliveries_fail_with_the_reason_and_stay_in_the_log()
    {
        await using var kit = await ChannelTestKit.StartAsync(postgres, "channels_removed");
        var team = await kit.TeamAsync();
        var (channel, _) = await kit.AddChannelAsync(team, AlertChannelKinds.Slack, "/slack");
        await kit.DriftAsync();
        Assert.True(await kit.Channels.DeleteAsync(team, channel.Id, CancellationToken.None));

        var run = await kit.Delivery.DeliverAsync(false, CancellationToken.None);

        Assert.Equal((1, 1), (run.Sent, run.Failed));
        Assert.Empty(kit.Receiver.Requests);
        var delivery = Assert.Single(await kit.ChannelDeliveriesAsync());
        Assert.Equal((OutboxStatus.Failed, null, "The channel was removed."), (delivery.Status, delivery.ChannelId, delivery.LastError));
    }

    [Fact]
    public async Task A_channel_name_is_unique_in_its_team_and_a_team_has_at_most_its_quota()
    {
        await using var kit = await ChannelTestKit.StartAsync(postgres, "channels_quota", extra: new() { ["Alerts:Webhooks:MaxPerTeam"] = "2" });
        var team = await kit.TeamAsync();
        await kit.AddChannelAsync(team, AlertChannelKinds.Slack, "/a", name: "first");

        var duplicate = await Assert.ThrowsAsync<ChannelRequestException>(() => kit.AddChannelAsync(team, AlertChannelKinds.Slack, "/b", name: "first"));
        Assert.Equal(ChannelError.Duplicate, duplicate.Kind);
        await kit.AddChannelAsync(team, AlertChannelKinds.Teams, "/b", name: "second");
        var full = await Assert.ThrowsAsync<ChannelRequestException>(() => kit.AddChannelAsync(team, AlertChannelKinds.Webhook, "/c", name: "third"));
        Assert.Equal(ChannelError.QuotaReached, full.Kind);
        var otherTeam = await kit.TeamAsync("other");
        var kind = await Assert.ThrowsAsync<ChannelRequestException>(() => kit.AddChannelAsync(otherTeam, "pager", "/d"));
        Assert.Equal("kind", kind.Field);
    }
}
