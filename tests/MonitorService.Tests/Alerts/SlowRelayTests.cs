using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MonitorService.Mail;
using MonitorService.Storage.Entities;
using MonitorService.Tests.Infrastructure;
using MonitorService.Tests.Monitoring;

namespace MonitorService.Tests.Alerts;

/// <summary>
/// A relay slower than the claim lease allows for a whole batch: two nodes delivering at once, on the real clock,
/// must still hand every mail to the relay exactly once.
/// </summary>
[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public class SlowRelayTests(PostgresFixture postgres)
{
    private const int Mails = 16;

    [Fact]
    public async Task Two_nodes_and_a_slow_relay_send_every_mail_exactly_once()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "slow_relay");
        // Each message takes the relay half a second; a batch of 16 takes twice the 4-second lease.
        kit.Mail.DataReplyDelay = TimeSpan.FromMilliseconds(500);
        await using var nodeA = ShortLeaseNode(kit);
        await using var nodeB = ShortLeaseNode(kit);
        await using (var db = kit.Harness.Db())
        {
            var writer = nodeA.GetRequiredService<OutboxWriter>();
            for (var i = 0; i < Mails; i++)
                writer.Add(db, new OutgoingMail(OutboxKinds.Alert, null, null, ["ops@example.test"], $"alert {i}", $"text {i}", $"<p>html {i}</p>"));
            await db.SaveChangesAsync();
        }

        // Each node delivers in a loop, as its delivery job would, until nothing is left to send.
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await Task.WhenAll(DeliverUntilDoneAsync(kit, nodeA, limit.Token), DeliverUntilDoneAsync(kit, nodeB, limit.Token));

        var received = kit.Mail.Messages.Select(m => MailTestKit.Parse(m).MessageId).ToList();
        Assert.Equal(Mails, received.Distinct().Count());
        Assert.All(received.GroupBy(id => id), g => Assert.True(g.Count() == 1, $"{g.Key} arrived {g.Count()} times"));
        await using var check = kit.Harness.Db();
        Assert.Equal(Mails, await check.Outbox.CountAsync(m => m.Status == OutboxStatus.Sent));
    }

    [Fact]
    public async Task A_send_that_would_outlast_its_claim_is_stopped_before_another_node_can_take_the_mail()
    {
        await using var kit = await MailTestKit.StartAsync(postgres, "trickling_relay");
        // The relay keeps answering "250-" lines for 10 seconds: no per-read timeout (2 s) fires, the lease is 4 s.
        kit.Mail.DataReplyDelay = TimeSpan.FromSeconds(10);
        kit.Mail.DataReplyTrickle = true;
        await using var nodeA = ShortLeaseNode(kit);
        await using var nodeB = ShortLeaseNode(kit);
        await using (var db = kit.Harness.Db())
        {
            nodeA.GetRequiredService<OutboxWriter>().Add(db, new OutgoingMail(OutboxKinds.Alert, null, null, ["ops@example.test"], "alert", "text", "<p>html</p>"));
            await db.SaveChangesAsync();
        }

        // Node A sends; node B looks for due mail all the while, as its delivery job would.
        var sending = nodeA.GetRequiredService<OutboxDelivery>().DeliverAsync(false, CancellationToken.None);
        var other = nodeB.GetRequiredService<OutboxDelivery>();
        while (!sending.IsCompleted)
        {
            await other.DeliverAsync(false, CancellationToken.None);
            await Task.Delay(100);
        }
        var run = await sending;

        // A gave up at half the lease, while its claim held: B never got to connect, nothing went out twice.
        Assert.Single(kit.Mail.Connections);
        Assert.Empty(kit.Mail.Messages);
        Assert.Equal((0, 1, true), (run.Sent, run.Retrying, run.Unreachable));
        Assert.Contains("half of Alerts:ClaimLease", run.LastError, StringComparison.Ordinal);
        await using var check = kit.Harness.Db();
        var message = await check.Outbox.SingleAsync();
        Assert.Equal((OutboxStatus.Queued, 1), (message.Status, message.AttemptCount)); // settled by A's claim: retried later
    }

    private static async Task DeliverUntilDoneAsync(MailTestKit kit, IServiceProvider node, CancellationToken ct)
    {
        var delivery = node.GetRequiredService<OutboxDelivery>();
        while (true)
        {
            await delivery.DeliverAsync(includeNotYetDue: true, ct);
            await using var db = kit.Harness.Db();
            if (!await db.Outbox.AnyAsync(m => m.Status == OutboxStatus.Queued || m.Status == OutboxStatus.Sending, ct))
                return;
            await Task.Delay(100, ct);
        }
    }

    /// <summary>A node on the kit's database with a 2 s SMTP timeout and a 4 s claim lease (the shortest the rules allow for it).</summary>
    private static ServiceProvider ShortLeaseNode(MailTestKit kit) => MonitorHarness.BuildNode(
        new ConfigurationBuilder()
            .AddConfiguration(kit.Harness.Configuration)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Smtp:Timeout"] = "00:00:02", ["Alerts:ClaimLease"] = "00:00:04" })
            .Build(),
        TimeProvider.System, kit.Harness.ConnectionString);
}
