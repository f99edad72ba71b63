using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MonitorService.Alerts;
using MonitorService.Channels.Rendering;
using MonitorService.Mail;
using MonitorService.Storage;
using MonitorService.Storage.Entities;

namespace MonitorService.Channels;

/// <summary>How "send a test" went.</summary>
/// <param name="Found">False when the team has no such channel.</param>
/// <param name="RetryAfter">Set when the channel was tested moments ago: try again after this.</param>
/// <param name="Attempt">The attempt, or null when another node's delivery run took the test over (see the alert log).</param>
public sealed record ChannelTestResult(bool Found, TimeSpan? RetryAfter, DeliveryAttemptResult? Attempt);

/// <summary>
/// "Send a test": queues a test alert for one channel through the outbox, like any alert (so it is logged with its
/// attempt in the alert log), and delivers it at once so the person who asked sees the receiver's answer. At most one
/// test per channel every <see cref="AlertChannelOptions.TestSpacing"/>, across the cluster (a conditional update of
/// the channel's row), so the button cannot make the service hammer a URL; a failed test is not retried.
/// </summary>
public sealed class ChannelTester(
    IDbContextFactory<MonitorDbContext> dbFactory,
    OutboxWriter outbox,
    OutboxDelivery delivery,
    IOptions<AlertOptions> alertOptions,
    TimeProvider time,
    ILogger<ChannelTester> logger)
{
    public async Task<ChannelTestResult> TestAsync(Guid teamId, Guid channelId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var notAfter = now - AlertChannelOptions.TestSpacing;
        AlertChannel? channel;
        OutboxMessage message;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            channel = await db.AlertChannels.AsNoTracking().FirstOrDefaultAsync(c => c.Id == channelId && c.TeamId == teamId, ct);
            if (channel is null)
                return new ChannelTestResult(false, null, null);
            // PostgreSQL re-evaluates the condition on a row a concurrent winner committed: of racing requests one wins.
            var granted = await db.AlertChannels
                .Where(c => c.Id == channelId && c.TeamId == teamId && (c.LastTestAt == null || c.LastTestAt <= notAfter))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.LastTestAt, now), ct) > 0;
            if (!granted)
            {
                var wait = (channel.LastTestAt ?? now) + AlertChannelOptions.TestSpacing - now;
                return new ChannelTestResult(true, wait > TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1), null);
            }
            var teamName = await db.Teams.Where(t => t.Id == teamId).Select(t => t.Name).FirstAsync(ct);
            var content = ChannelPayloads.TestContent(channel, teamName, now, alertOptions.Value.DashboardBaseUrl);
            var eventId = Guid.CreateVersion7(now);
            message = outbox.AddChannelDelivery(db, new OutgoingChannelMessage(OutboxKinds.Test, teamId, null, channel.Id, channel.Kind, eventId,
                AlertMailRenderer.Subject(content), ChannelPayloads.Render(channel.Kind, content, eventId, OutboxKinds.Test)));
            await db.SaveChangesAsync(ct);
        }
        var attempt = await delivery.DeliverNowAsync(message.Id, ct);
        logger.Tested(channel.Kind, channel.Name, teamId, attempt?.Outcome ?? "taken over by the delivery job", attempt?.Detail);
        return new ChannelTestResult(true, null, attempt);
    }
}
