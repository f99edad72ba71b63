using Quartz;

namespace MonitorService.Mail;

/// <summary>
/// Delivers due outbox mail. One durable job for the cluster, never two runs at once; correctness does not depend
/// on that (claims do), it just keeps nodes from racing for the same batch.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DeliverOutboxJob(OutboxDelivery delivery, ILogger<DeliverOutboxJob> logger) : IJob
{
    public static readonly JobKey Key = new("deliver-outbox", "mail");
    public static readonly TriggerKey TriggerKey = new("deliver-outbox", "mail");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            var run = await delivery.DeliverAsync(includeNotYetDue: false, cancellationToken);
            if (run.Attempted > 0)
                logger.LogInformation("Mail delivery: {Sent} sent, {Retrying} to retry, {Failed} failed{Unreachable}",
                    run.Sent, run.Retrying, run.Failed,
                    run.Unreachable ? " (server unreachable)" : run.LoginRefused ? " (login refused: check Smtp:Username and Smtp:Password)" : "");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Not rethrown: the next run retries; claims held by this run expire by themselves.
            logger.LogError(ex, "Mail delivery run failed");
        }
    }
}
