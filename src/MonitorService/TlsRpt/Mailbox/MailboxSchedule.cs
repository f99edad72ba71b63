using Microsoft.Extensions.Options;
using MonitorService.Scheduling;
using Quartz;

namespace MonitorService.TlsRpt.Mailbox;

/// <summary>
/// Puts the mailbox job and its trigger into the clustered scheduler at start (every node may, at once: added only when
/// missing, the trigger replaced only when TlsRpt:Imap:PollInterval changed). Without TlsRpt:Imap:Host the job is removed,
/// so a cluster configured without a mailbox has no job firing for nothing; every node should carry the same settings.
/// </summary>
public sealed class MailboxSchedule(
    ISchedulerFactory schedulerFactory, IOptions<MailboxOptions> options, TimeProvider time, ILogger<MailboxSchedule> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not schedule the TLS-RPT mailbox job; the mailbox is not read until a node schedules it");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task EnsureAsync(CancellationToken ct)
    {
        var scheduler = await schedulerFactory.GetScheduler(ct);
        var imap = options.Value;
        if (!imap.Enabled)
        {
            if (await scheduler.DeleteJob(ReadMailboxJob.Key, ct))
                logger.LogInformation("TLS-RPT mailbox intake is off (no TlsRpt:Imap:Host): its job was removed");
            return;
        }
        // First read one interval after the trigger is made (at most a minute): not in the middle of the node's start-up.
        var firstRun = time.GetUtcNow() + (imap.PollInterval < TimeSpan.FromMinutes(1) ? imap.PollInterval : TimeSpan.FromMinutes(1));
        // Missed while every node was down: one read when a node is back, not one per missed interval.
        if (await RecurringJob.EnsureAsync<ReadMailboxJob>(scheduler, ReadMailboxJob.Key, ReadMailboxJob.TriggerKey, "Reads TLS-RPT reports from the TlsRpt:Imap mailbox",
                imap.PollInterval, firstRun, SimpleTriggerMisfireInstruction.NowWithExistingCount, ct))
            logger.LogInformation("TLS-RPT mailbox {Folder} at {Host} is read every {Interval}{Idle}", imap.Folder, imap.Host, imap.PollInterval,
                imap.Idle ? $", waiting for new mail with IDLE for up to {imap.IdleFor} where the server offers it" : "");
    }
}
